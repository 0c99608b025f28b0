/*
 * newsdesk/newsdesk.h - the umbrella header: everything public.
 */
#ifndef NEWSDESK_H
#define NEWSDESK_H

#include "newsdesk/base.h"
#include "newsdesk/analyze.h"
#include "newsdesk/cluster.h"
#include "newsdesk/decode.h"
#include "newsdesk/extract.h"
#include "newsdesk/lang.h"
#include "newsdesk/parse.h"
#include "newsdesk/read.h"
#include "newsdesk/store.h"
#include "newsdesk/ingest.h"
#include "newsdesk/keywords.h"
#include "newsdesk/query.h"
#include "newsdesk/render.h"
#include "newsdesk/token.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library version, "MAJOR.MINOR.PATCH". */
ND_EXPORT const char *nd_version(void);

#ifdef __cplusplus
}
#endif
#endif
