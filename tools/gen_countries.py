#!/usr/bin/env python3
"""Generate data/actors/countries.txt, the default country dictionary.

usage: tools/gen_countries.py [/usr/share/iso-codes/json] > data/actors/countries.txt

Names and ISO 3166 alpha-3 codes come from Debian's iso-codes package
(iso_3166-1.json); adjectives, demonyms, capitals, seats of government and
the short names news text uses are newsdesk's own table below.  The output
is committed; rerun when either changes.  Format: docs/analyze.md.
"""
import json
import os
import sys

# A3 | canonical name | other names | adjectives | people | capitals | seats (phrase=AGENT)
# Empty fields are allowed.  Several values are separated by ';'.
TABLE = r"""
AFG|Afghanistan||Afghan|Afghans|Kabul|
ALB|Albania||Albanian|Albanians|Tirana|
DZA|Algeria||Algerian|Algerians|Algiers|
AND|Andorra||Andorran|Andorrans|Andorra la Vella|
AGO|Angola||Angolan|Angolans|Luanda|
ATG|Antigua and Barbuda|Antigua|Antiguan|Antiguans|St. John's|
ARG|Argentina||Argentine;Argentinian|Argentines;Argentinians|Buenos Aires|Casa Rosada=GOV
ARM|Armenia||Armenian|Armenians|Yerevan|
AUS|Australia||Australian|Australians|Canberra|
AUT|Austria||Austrian|Austrians|Vienna|
AZE|Azerbaijan||Azerbaijani;Azeri|Azerbaijanis;Azeris|Baku|
BHS|Bahamas|The Bahamas|Bahamian|Bahamians|Nassau|
BHR|Bahrain||Bahraini|Bahrainis|Manama|
BGD|Bangladesh||Bangladeshi|Bangladeshis|Dhaka|
BRB|Barbados||Barbadian|Barbadians|Bridgetown|
BLR|Belarus|Byelorussia|Belarusian;Belarussian|Belarusians|Minsk|
BEL|Belgium||Belgian|Belgians||
BLZ|Belize||Belizean|Belizeans|Belmopan|
BEN|Benin||Beninese|Beninese|Porto-Novo|
BTN|Bhutan||Bhutanese|Bhutanese|Thimphu|
BOL|Bolivia||Bolivian|Bolivians|La Paz;Sucre|
BIH|Bosnia and Herzegovina|Bosnia;Bosnia-Herzegovina|Bosnian|Bosnians|Sarajevo|
BWA|Botswana||Botswanan;Motswana|Batswana|Gaborone|
BRA|Brazil||Brazilian|Brazilians|Brasilia;Brasília|Planalto=GOV
BRN|Brunei|Brunei Darussalam|Bruneian|Bruneians|Bandar Seri Begawan|
BGR|Bulgaria||Bulgarian|Bulgarians|Sofia|
BFA|Burkina Faso|Burkina|Burkinabe|Burkinabes|Ouagadougou|
BDI|Burundi||Burundian|Burundians|Gitega;Bujumbura|
CPV|Cape Verde|Cabo Verde|Cape Verdean|Cape Verdeans|Praia|
KHM|Cambodia||Cambodian|Cambodians|Phnom Penh|
CMR|Cameroon||Cameroonian|Cameroonians|Yaounde;Yaoundé|
CAN|Canada||Canadian|Canadians|Ottawa|Parliament Hill=GOV
CAF|Central African Republic|CAR|Central African|Central Africans|Bangui|
TCD|Chad||Chadian|Chadians|N'Djamena|
CHL|Chile||Chilean|Chileans|Santiago|La Moneda=GOV
CHN|China|People's Republic of China;PRC;mainland China|Chinese|Chinese|Beijing;Peking|Zhongnanhai=GOV
COL|Colombia||Colombian|Colombians|Bogota;Bogotá|
COM|Comoros||Comorian|Comorians|Moroni|
COG|Republic of the Congo|Congo-Brazzaville;Congo Republic|Congolese|Congolese|Brazzaville|
COD|Democratic Republic of the Congo|DR Congo;DRC;Congo-Kinshasa;Democratic Republic of Congo;Congo||Congolese|Kinshasa|
CRI|Costa Rica||Costa Rican|Costa Ricans|San Jose;San José|
CIV|Ivory Coast|Côte d'Ivoire;Cote d'Ivoire|Ivorian|Ivorians|Yamoussoukro;Abidjan|
HRV|Croatia||Croatian;Croat|Croatians;Croats|Zagreb|
CUB|Cuba||Cuban|Cubans|Havana|
CYP|Cyprus||Cypriot|Cypriots|Nicosia|
CZE|Czech Republic|Czechia|Czech|Czechs|Prague|
DNK|Denmark||Danish|Danes|Copenhagen|
DJI|Djibouti||Djiboutian|Djiboutians|Djibouti City|
DMA|Dominica||||Roseau|
DOM|Dominican Republic||Dominican|Dominicans|Santo Domingo|
ECU|Ecuador||Ecuadorian;Ecuadorean|Ecuadorians|Quito|
EGY|Egypt||Egyptian|Egyptians|Cairo|
SLV|El Salvador|Salvador|Salvadoran;Salvadorean|Salvadorans|San Salvador|
GNQ|Equatorial Guinea||Equatorial Guinean;Equatoguinean|Equatorial Guineans|Malabo|
ERI|Eritrea||Eritrean|Eritreans|Asmara|
EST|Estonia||Estonian|Estonians|Tallinn|
SWZ|Eswatini|Swaziland|Swazi|Swazis|Mbabane|
ETH|Ethiopia||Ethiopian|Ethiopians|Addis Ababa|
FJI|Fiji||Fijian|Fijians|Suva|
FIN|Finland||Finnish|Finns|Helsinki|
FRA|France|French Republic|French|French;Frenchman;Frenchmen;Frenchwoman|Paris|Elysee=GOV;Élysée=GOV;Elysee Palace=GOV;Élysée Palace=GOV;Quai d'Orsay=GOV;Matignon=GOV
GAB|Gabon||Gabonese|Gabonese|Libreville|
GMB|Gambia|The Gambia|Gambian|Gambians|Banjul|
GEO|Georgia||Georgian|Georgians|Tbilisi|
DEU|Germany|Federal Republic of Germany|German|Germans|Berlin|Chancellery=GOV;Bundestag=LEG;Bundeswehr=MIL
GHA|Ghana||Ghanaian|Ghanaians|Accra|
GRC|Greece|Hellenic Republic|Greek|Greeks|Athens|
GRD|Grenada||Grenadian|Grenadians|St. George's|
GTM|Guatemala||Guatemalan|Guatemalans|Guatemala City|
GIN|Guinea|Guinea-Conakry|Guinean|Guineans|Conakry|
GNB|Guinea-Bissau||Bissau-Guinean|Bissau-Guineans|Bissau|
GUY|Guyana||Guyanese|Guyanese|Georgetown|
HTI|Haiti||Haitian|Haitians|Port-au-Prince|
VAT|Vatican|Holy See;Vatican City|Vatican||Vatican City|Holy See=GOV
HND|Honduras||Honduran|Hondurans|Tegucigalpa|
HUN|Hungary||Hungarian|Hungarians|Budapest|
ISL|Iceland||Icelandic|Icelanders|Reykjavik;Reykjavík|
IND|India||Indian|Indians|New Delhi;Delhi|
IDN|Indonesia||Indonesian|Indonesians|Jakarta|
IRN|Iran|Islamic Republic of Iran;Islamic Republic|Iranian|Iranians|Tehran;Teheran|
IRQ|Iraq||Iraqi|Iraqis|Baghdad|
IRL|Ireland|Republic of Ireland;Eire|Irish|Irish|Dublin|Dáil=LEG;Dail=LEG;Leinster House=LEG
ISR|Israel||Israeli|Israelis|Jerusalem;Tel Aviv|Knesset=LEG;IDF=MIL;Israel Defense Forces=MIL
ITA|Italy||Italian|Italians|Rome|Palazzo Chigi=GOV;Quirinale=GOV
JAM|Jamaica||Jamaican|Jamaicans|Kingston|
JPN|Japan||Japanese|Japanese|Tokyo|
JOR|Jordan||Jordanian|Jordanians|Amman|
KAZ|Kazakhstan||Kazakh;Kazakhstani|Kazakhs;Kazakhstanis|Astana|
KEN|Kenya||Kenyan|Kenyans|Nairobi|
KIR|Kiribati||I-Kiribati||Tarawa;South Tarawa|
PRK|North Korea|Democratic People's Republic of Korea;DPRK|North Korean|North Koreans|Pyongyang|
KOR|South Korea|Republic of Korea;ROK|South Korean|South Koreans|Seoul|Blue House=GOV
XKX|Kosovo||Kosovar;Kosovan|Kosovars|Pristina|
KWT|Kuwait||Kuwaiti|Kuwaitis|Kuwait City|
KGZ|Kyrgyzstan|Kyrgyz Republic|Kyrgyz|Kyrgyz|Bishkek|
LAO|Laos|Lao PDR|Laotian;Lao|Laotians|Vientiane|
LVA|Latvia||Latvian|Latvians|Riga|
LBN|Lebanon||Lebanese|Lebanese|Beirut|
LSO|Lesotho||Basotho|Basotho|Maseru|
LBR|Liberia||Liberian|Liberians|Monrovia|
LBY|Libya||Libyan|Libyans|Tripoli|
LIE|Liechtenstein||Liechtensteiner|Liechtensteiners|Vaduz|
LTU|Lithuania||Lithuanian|Lithuanians|Vilnius|
LUX|Luxembourg||Luxembourgish|Luxembourgers|Luxembourg City|
MDG|Madagascar||Malagasy|Malagasy|Antananarivo|
MWI|Malawi||Malawian|Malawians|Lilongwe|
MYS|Malaysia||Malaysian|Malaysians|Kuala Lumpur;Putrajaya|
MDV|Maldives||Maldivian|Maldivians|Male;Malé|
MLI|Mali||Malian|Malians|Bamako|
MLT|Malta||Maltese|Maltese|Valletta|
MHL|Marshall Islands||Marshallese|Marshallese|Majuro|
MRT|Mauritania||Mauritanian|Mauritanians|Nouakchott|
MUS|Mauritius||Mauritian|Mauritians|Port Louis|
MEX|Mexico||Mexican|Mexicans|Mexico City|Los Pinos=GOV
FSM|Micronesia|Federated States of Micronesia|Micronesian|Micronesians|Palikir|
MDA|Moldova||Moldovan|Moldovans|Chisinau;Chișinău|
MCO|Monaco||Monegasque|Monegasques||
MNG|Mongolia||Mongolian|Mongolians|Ulaanbaatar;Ulan Bator|
MNE|Montenegro||Montenegrin|Montenegrins|Podgorica|
MAR|Morocco||Moroccan|Moroccans|Rabat|
MOZ|Mozambique||Mozambican|Mozambicans|Maputo|
MMR|Myanmar|Burma|Myanmar;Burmese|Burmese|Naypyidaw;Naypyitaw;Rangoon;Yangon|
NAM|Namibia||Namibian|Namibians|Windhoek|
NRU|Nauru||Nauruan|Nauruans|Yaren|
NPL|Nepal||Nepali;Nepalese|Nepalis|Kathmandu|
NLD|Netherlands|Holland;The Netherlands|Dutch|Dutch;Dutchman;Dutchmen|Amsterdam;The Hague|
NZL|New Zealand||New Zealand|New Zealanders|Wellington|
NIC|Nicaragua||Nicaraguan|Nicaraguans|Managua|
NER|Niger||Nigerien|Nigeriens|Niamey|
NGA|Nigeria||Nigerian|Nigerians|Abuja|
MKD|North Macedonia|Macedonia|Macedonian|Macedonians|Skopje|
NOR|Norway||Norwegian|Norwegians|Oslo|
OMN|Oman||Omani|Omanis|Muscat|
PAK|Pakistan||Pakistani|Pakistanis|Islamabad|
PLW|Palau||Palauan|Palauans|Ngerulmud|
PSE|Palestine|Palestinian territories;Palestinian Territories;Palestinian Authority;West Bank;Gaza;Gaza Strip;PA|Palestinian|Palestinians|Ramallah;East Jerusalem|
PAN|Panama||Panamanian|Panamanians|Panama City|
PNG|Papua New Guinea||Papua New Guinean|Papua New Guineans|Port Moresby|
PRY|Paraguay||Paraguayan|Paraguayans|Asuncion;Asunción|
PER|Peru||Peruvian|Peruvians|Lima|
PHL|Philippines|The Philippines|Philippine;Filipino|Filipinos|Manila|Malacanang=GOV;Malacañang=GOV
POL|Poland||Polish|Poles|Warsaw|Sejm=LEG
PRT|Portugal||Portuguese|Portuguese|Lisbon|
QAT|Qatar||Qatari|Qataris|Doha|
ROU|Romania||Romanian|Romanians|Bucharest|
RUS|Russia|Russian Federation|Russian|Russians|Moscow|Kremlin=GOV;the Kremlin=GOV;Duma=LEG;State Duma=LEG;Federation Council=LEG;FSB=COP
RWA|Rwanda||Rwandan|Rwandans|Kigali|
KNA|Saint Kitts and Nevis|St Kitts and Nevis;St. Kitts and Nevis|Kittitian|Kittitians|Basseterre|
LCA|Saint Lucia|St Lucia;St. Lucia|Saint Lucian|Saint Lucians|Castries|
VCT|Saint Vincent and the Grenadines|St Vincent and the Grenadines;St. Vincent|Vincentian|Vincentians|Kingstown|
WSM|Samoa||Samoan|Samoans|Apia|
SMR|San Marino||Sammarinese|Sammarinese||
STP|Sao Tome and Principe|São Tomé and Príncipe|Sao Tomean|Sao Tomeans|Sao Tome;São Tomé|
SAU|Saudi Arabia|Kingdom of Saudi Arabia;KSA|Saudi;Saudi Arabian|Saudis|Riyadh|
SEN|Senegal||Senegalese|Senegalese|Dakar|
SRB|Serbia||Serbian;Serb|Serbians;Serbs|Belgrade|
SYC|Seychelles||Seychellois|Seychellois|Victoria|
SLE|Sierra Leone||Sierra Leonean|Sierra Leoneans|Freetown|
SGP|Singapore||Singaporean|Singaporeans||
SVK|Slovakia||Slovak|Slovaks|Bratislava|
SVN|Slovenia||Slovenian;Slovene|Slovenians;Slovenes|Ljubljana|
SLB|Solomon Islands||Solomon Islander|Solomon Islanders|Honiara|
SOM|Somalia||Somali|Somalis|Mogadishu|
ZAF|South Africa||South African|South Africans|Pretoria;Cape Town|
SSD|South Sudan||South Sudanese|South Sudanese|Juba|
ESP|Spain||Spanish|Spaniards|Madrid|Moncloa=GOV
LKA|Sri Lanka||Sri Lankan|Sri Lankans|Colombo;Sri Jayawardenepura Kotte|
SDN|Sudan||Sudanese|Sudanese|Khartoum|
SUR|Suriname|Surinam|Surinamese|Surinamese|Paramaribo|
SWE|Sweden||Swedish|Swedes|Stockholm|
CHE|Switzerland||Swiss|Swiss|Bern;Berne|
SYR|Syria|Syrian Arab Republic|Syrian|Syrians|Damascus|
TWN|Taiwan|Republic of China|Taiwanese|Taiwanese|Taipei|
TJK|Tajikistan||Tajik|Tajiks|Dushanbe|
TZA|Tanzania||Tanzanian|Tanzanians|Dodoma;Dar es Salaam|
THA|Thailand||Thai|Thais|Bangkok|
TLS|East Timor|Timor-Leste|Timorese|Timorese|Dili|
TGO|Togo||Togolese|Togolese|Lome;Lomé|
TON|Tonga||Tongan|Tongans|Nuku'alofa|
TTO|Trinidad and Tobago|Trinidad|Trinidadian|Trinidadians|Port of Spain|
TUN|Tunisia||Tunisian|Tunisians|Tunis|
TUR|Turkey|Türkiye;Turkiye|Turkish|Turks|Ankara|
TKM|Turkmenistan||Turkmen|Turkmens|Ashgabat|
TUV|Tuvalu||Tuvaluan|Tuvaluans|Funafuti|
UGA|Uganda||Ugandan|Ugandans|Kampala|
UKR|Ukraine|the Ukraine|Ukrainian|Ukrainians|Kyiv;Kiev|Verkhovna Rada=LEG;Bankova=GOV
ARE|United Arab Emirates|UAE;Emirates|Emirati|Emiratis|Abu Dhabi|
GBR|United Kingdom|UK;U.K.;Britain;Great Britain;England;Scotland;Wales;Northern Ireland|British;English;Scottish;Welsh|Britons;Brits;Englishmen;Scots|London|Downing Street=GOV;Number 10=GOV;No 10=GOV;Whitehall=GOV;Westminster=LEG;Foreign Office=GOV;Ministry of Defence=MIL
USA|United States|United States of America;US;U.S.;USA;U.S.A.;America|American;US;U.S.|Americans|Washington;Washington DC;Washington D.C.|White House=GOV;the White House=GOV;State Department=GOV;Pentagon=MIL;the Pentagon=MIL;Capitol Hill=LEG;Congress=LEG;Senate=LEG;House of Representatives=LEG;FBI=COP;CIA=SPY;Supreme Court=JUD;Treasury Department=GOV
URY|Uruguay||Uruguayan|Uruguayans|Montevideo|
UZB|Uzbekistan||Uzbek|Uzbeks|Tashkent|
VUT|Vanuatu||Ni-Vanuatu|Ni-Vanuatu|Port Vila|
VEN|Venezuela||Venezuelan|Venezuelans|Caracas|Miraflores=GOV
VNM|Vietnam|Viet Nam|Vietnamese|Vietnamese|Hanoi|
YEM|Yemen||Yemeni|Yemenis|Sanaa;Sana'a|
ZMB|Zambia||Zambian|Zambians|Lusaka|
ZWE|Zimbabwe||Zimbabwean|Zimbabweans|Harare|
HKG|Hong Kong||Hong Kong|Hong Kongers||
MAC|Macau|Macao|Macanese|||
GRL|Greenland||Greenlandic|Greenlanders|Nuuk|
PRI|Puerto Rico||Puerto Rican|Puerto Ricans|San Juan|
ESH|Western Sahara||Sahrawi|Sahrawis|Laayoune|
FLK|Falkland Islands|Falklands;Malvinas|Falkland Islander|Falkland Islanders|Stanley|
GIB|Gibraltar||Gibraltarian|Gibraltarians||
"""

# Other places that stand for their country in news text: US states (not
# Georgia, which is also a country), provinces and large cities.
PLACES = r"""
USA|Camp David;Mar-a-Lago;Anchorage;Alabama;Alaska;Arizona;Arkansas;California;Colorado;Connecticut;Delaware;Florida;Hawaii;Idaho;Illinois;Indiana;Iowa;Kansas;Kentucky;Louisiana;Maine;Maryland;Massachusetts;Michigan;Minnesota;Mississippi;Missouri;Montana;Nebraska;Nevada;New Hampshire;New Jersey;New Mexico;New York;North Carolina;North Dakota;Ohio;Oklahoma;Oregon;Pennsylvania;Rhode Island;South Carolina;South Dakota;Tennessee;Texas;Utah;Vermont;Virginia;West Virginia;Wisconsin;Wyoming;New York City;Los Angeles;Chicago;Houston;San Francisco;Miami;Boston;Philadelphia;Seattle;Detroit;Atlanta;Dallas;Pearl Harbor;Guantanamo Bay
RUS|St Petersburg;St. Petersburg;Saint Petersburg;Chechnya;Grozny;Siberia;Kursk;Belgorod;Kaliningrad;Novosibirsk;Vladivostok;Sochi;Dagestan
UKR|Kharkiv;Kharkov;Odesa;Odessa;Lviv;Mariupol;Donetsk;Luhansk;Zaporizhzhia;Kherson;Dnipro;Bakhmut;Avdiivka;Donbas;Donbass
CHE|Geneva;Zurich;Davos;Lausanne;Basel
AUT|Salzburg
FIN|Turku
CHN|Shanghai;Hong Kong;Guangzhou;Shenzhen;Wuhan;Xinjiang;Tibet;Chongqing;Tianjin;Nanjing
GBR|Manchester;Birmingham;Glasgow;Edinburgh;Belfast;Liverpool;Cardiff
FRA|Marseille;Lyon;Nice;Toulouse;Strasbourg;Bordeaux
DEU|Munich;Hamburg;Frankfurt;Cologne;Bonn;Dresden
ISR|Haifa;Eilat
PSE|Gaza City;Khan Younis;Rafah;Jenin;Nablus;Hebron;Bethlehem;Jericho
SYR|Aleppo;Homs;Idlib;Raqqa;Latakia;Deir ez-Zor;Daraa
IRQ|Mosul;Basra;Kirkuk;Fallujah;Ramadi;Erbil;Tikrit;Najaf;Karbala
IRN|Isfahan;Mashhad;Tabriz;Shiraz;Qom;Natanz;Fordow
AFG|Kandahar;Herat;Helmand;Mazar-i-Sharif;Jalalabad
PAK|Karachi;Lahore;Peshawar;Rawalpindi;Quetta;Waziristan
IND|Mumbai;Kolkata;Chennai;Bangalore;Bengaluru;Hyderabad;Kashmir
TUR|Istanbul;Izmir;Antalya
EGY|Alexandria;Sinai;Suez
SAU|Jeddah;Mecca;Medina
LBN|Tripoli, Lebanon;Sidon;Tyre
YEM|Aden;Hodeidah
LBY|Benghazi;Misrata;Sirte
SDN|Darfur;Omdurman;Port Sudan
NGA|Lagos;Kano;Maiduguri
KEN|Mombasa
SOM|Kismayo
JPN|Osaka;Kyoto;Hiroshima;Nagasaki;Okinawa;Fukushima
KOR|Busan;Incheon
PRK|Yongbyon
TWN|Kaohsiung
BRA|Sao Paulo;São Paulo;Rio de Janeiro
MEX|Tijuana;Guadalajara;Monterrey;Ciudad Juarez
CAN|Toronto;Montreal;Vancouver;Quebec
AUS|Sydney;Melbourne;Brisbane;Perth
"""


def clean(v):
    return [x.strip() for x in v.split(';') if x.strip()]


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else '/usr/share/iso-codes/json'
    iso = json.load(open(os.path.join(d, 'iso_3166-1.json'), encoding='utf-8'))['3166-1']
    places = {}
    for line in PLACES.strip().splitlines():
        a3, _, v = line.partition('|')
        places[a3] = v
    extra = {}
    for line in TABLE.strip().splitlines():
        f = line.split('|')
        if len(f) != 7:
            sys.exit('bad table line: ' + line)
        extra[f[0]] = f
    out = ['# Countries: newsdesk default actor dictionary (format: docs/analyze.md).',
           '# Generated by tools/gen_countries.py from Debian iso-codes (names, ISO 3166',
           '# alpha-3 codes) and newsdesk\'s own table of adjectives, demonyms, capitals',
           '# and seats of government.  Do not edit by hand: edit the generator.', '']
    seen = set()
    rows = []
    for c in iso:
        a3 = c['alpha_3']
        names = []
        for k in ('common_name', 'name', 'official_name'):
            v = c.get(k)
            if v and ', ' not in v and v not in names:
                names.append(v)
        if not names:
            names.append(c['name'])  # "Saint Helena, Ascension and Tristan da Cunha"
        rows.append((a3, names))
    # Kosovo has no ISO 3166-1 entry; XKX is the user-assigned code in common use.
    rows.append(('XKX', ['Kosovo']))
    for a3, names in sorted(rows):
        e = extra.get(a3)
        canon = e[1] if e else names[0]
        allnames = [canon] + [n for n in names if n != canon]
        if e:
            allnames += [n for n in clean(e[2]) if n not in allnames]
        seen.add(a3)
        out.append('country %s %s' % (a3, canon))
        out.append('  name: ' + '; '.join(allnames))
        if e:
            for key, idx in (('adj', 3), ('people', 4), ('capital', 5), ('seat', 6)):
                vals = clean(e[idx])
                if vals:
                    out.append('  %s: %s' % (key, '; '.join(vals)))
        if a3 in places:
            out.append('  place: ' + '; '.join(clean(places[a3])))
        out.append('')
    missing = set(extra) - seen
    if missing:
        sys.exit('table codes not in iso-codes: ' + ' '.join(sorted(missing)))
    sys.stdout.write('\n'.join(out))


if __name__ == '__main__':
    main()
