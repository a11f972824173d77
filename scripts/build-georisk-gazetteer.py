#!/usr/bin/env python3
"""Builds data/georisk/gazetteer.tsv, the GeoRisk country gazetteer, from the FIPS 10-4 country table.

Source of codes and names: ../shared/data/gdelt/lookups/fips10-4_countries_py-gdelt.json (RBozydar/py-gdelt @
31fb3ca9, MIT; the table the shared data README marks as preferred). NOT fips10-4_country_codes.csv, which maps
GM to The Gambia and GA to Gabon (FIPS and GDELT: GM Germany, GA The Gambia, GB Gabon) and lacks YI.

Changes to the source table (also listed in data/README.md):
  * NAME_FIXES: a few display names (leading "The", spelling);
  * EXTRA: `RB`, a non-standard code GDELT uses for some Serbian places (50 uses in the recorded files);
  * TERMS: what titles are matched against. By default a code matches its own name; TERMS adds aliases and
    demonyms, or replaces the name where the name alone would match ordinary words or other places
    (codes whose value starts with "=" match only the listed terms; "=" alone matches nothing);
  * BLOCKERS: phrases that name no country but contain a country term ("New Jersey", "New Mexico"); the
    matcher prefers the longest phrase, so a blocker hides the shorter country term inside it.

Output: one line per code, TAB-separated `code  name  terms` (terms separated by "|"), sorted by code, then the
blocker lines with code "-". Run from the repository root:

    python3 scripts/build-georisk-gazetteer.py
"""
import json
import os

SOURCE = "../shared/data/gdelt/lookups/fips10-4_countries_py-gdelt.json"
OUTPUT = "data/georisk/gazetteer.tsv"

NAME_FIXES = {
    "NL": "Netherlands",
    "TT": "Timor-Leste",
    "VT": "Vatican City",
    "NM": "No Man's Land",
}

EXTRA = {"RB": "Serbia (GDELT non-standard code)"}

TERMS = {
    "AE": "UAE|Emirati",
    "AF": "Afghan",
    "AG": "Algerian",
    "AJ": "Azerbaijani",
    "AL": "Albanian",
    "AM": "Armenian",
    "AO": "Angolan",
    "AR": "Argentine|Argentinian",
    "AS": "Australian",
    "AU": "Austrian",
    "BA": "Bahraini",
    "BE": "Belgian",
    "BF": "The Bahamas|Bahamian",
    "BG": "Bangladeshi",
    "BK": "Bosnia|Bosnian|Herzegovina",
    "BL": "Bolivian",
    "BM": "Burma|Burmese",
    "BO": "Belarusian",
    "BR": "Brazilian",
    "BU": "Bulgarian",
    "CA": "Canadian",
    "CB": "Cambodian",
    "CE": "Sri Lankan",
    "CF": "=Republic of the Congo|Congo-Brazzaville",
    "CG": "=Democratic Republic of the Congo|DR Congo|DRC|Congo-Kinshasa",
    "CH": "Chinese|People's Republic of China",
    "CI": "Chilean",
    "CO": "Colombian",
    "CS": "Costa Rican",
    "CU": "Cuban",
    "CV": "Cape Verde",
    "CY": "Cypriot",
    "DA": "Danish",
    "EC": "Ecuadorian",
    "EG": "Egyptian",
    "EI": "Irish|Republic of Ireland",
    "EN": "Estonian",
    "ER": "Eritrean",
    "ES": "Salvadoran",
    "ET": "Ethiopian",
    "EZ": "Czech Republic|Czech",
    "FI": "Finnish",
    "FR": "French",
    "GH": "Ghanaian",
    "GM": "German",
    "GR": "Greek",
    "GT": "Guatemalan",
    "GZ": "Gaza",
    "HA": "Haitian",
    "HO": "Honduran",
    "HR": "Croatian",
    "HU": "Hungarian",
    "IC": "Icelandic",
    "ID": "Indonesian",
    "IN": "Indian",
    "IR": "Iranian",
    "IS": "Israeli",
    "IT": "Italian",
    "IV": "Côte d'Ivoire|Cote d'Ivoire|Ivorian",
    "IZ": "Iraqi",
    "JA": "Japanese",
    "JM": "Jamaican",
    "JO": "Jordanian",
    "KE": "Kenyan",
    "KG": "Kyrgyz",
    "KN": "North Korean|DPRK",
    "KS": "South Korean|Republic of Korea",
    "KU": "Kuwaiti",
    "KV": "Kosovar",
    "KZ": "Kazakh|Kazakhstani",
    "LA": "Laotian|Lao People's Democratic Republic",
    "LE": "Lebanese",
    "LG": "Latvian",
    "LH": "Lithuanian",
    "LI": "Liberian",
    "LY": "Libyan",
    "MA": "Malagasy",
    "MC": "Macau",
    "MD": "Moldovan",
    "MG": "Mongolian",
    "MI": "Malawian",
    "MJ": "Montenegrin",
    "MK": "Macedonia|Macedonian",
    "ML": "Malian",
    "MO": "Moroccan",
    "MU": "Omani",
    "MX": "Mexican",
    "MY": "Malaysian",
    "MZ": "Mozambican",
    "NG": "Nigerien",
    "NI": "Nigerian",
    "NL": "Holland|Dutch",
    "NO": "Norwegian",
    "NP": "Nepali|Nepalese",
    "NU": "Nicaraguan",
    "NZ": "New Zealander",
    "OD": "South Sudanese",
    "OS": "=",
    "PA": "Paraguayan",
    "PE": "Peruvian",
    "PK": "Pakistani",
    "PL": "Polish",
    "PM": "Panamanian",
    "PO": "Portuguese",
    "QA": "Qatari",
    "RE": "=Réunion",
    "RI": "Serbian",
    "RO": "Romanian",
    "RP": "Filipino|Philippine",
    "RS": "Russian|Russian Federation",
    "RW": "Rwandan",
    "SA": "Saudi",
    "SF": "South African",
    "SG": "Senegalese",
    "SI": "Slovenian|Slovene",
    "SN": "Singaporean",
    "SO": "Somali|Somalian",
    "SP": "Spanish",
    "SU": "Sudanese",
    "SV": "Svalbard",
    "SW": "Swedish",
    "SY": "Syrian",
    "SZ": "Swiss",
    "TH": "Thai",
    "TI": "Tajik|Tajikistani",
    "TS": "Tunisian",
    "TT": "East Timor|Timorese",
    "TU": "Türkiye|Turkish",
    "TW": "Taiwanese",
    "TX": "Turkmen",
    "TZ": "Tanzanian",
    "UF": "=",
    "UG": "Ugandan",
    "UK": "UK|Britain|Great Britain|British|England|English|Scotland|Scottish|Wales|Welsh|Northern Ireland",
    "UP": "Ukrainian",
    "US": "United States of America|USA|U.S.|American",
    "UU": "=",
    "UY": "Uruguayan",
    "UZ": "Uzbek",
    "VE": "Venezuelan",
    "VM": "Viet Nam|Vietnamese",
    "VQ": "United States Virgin Islands",
    "VT": "Vatican|Holy See",
    "WE": "West Bank|Palestine|Palestinian",
    "WI": "Sahrawi",
    "WZ": "Swaziland",
    "YI": "=Serbia and Montenegro",
    "YM": "Yemeni",
    "ZA": "Zambian",
    "ZI": "Zimbabwean",
    "NM": "=",
    "RB": "=",
}

BLOCKERS = [
    "New Jersey", "New Mexico", "New England", "New South Wales", "English language", "French language",
    "Spanish language", "German language", "Portuguese language", "Russian language", "Indian Ocean",
    "Native American", "Latin American", "South American", "North American", "Central American",
    "African American", "British Columbia", "Guinea pig",
]


def main():
    table = json.load(open(SOURCE, encoding="utf-8"))
    names = {code: NAME_FIXES.get(code, entry["name"]) for code, entry in table.items()}
    names.update(EXTRA)
    assert set(TERMS) <= set(names), set(TERMS) - set(names)
    lines = ["# GeoRisk country gazetteer: FIPS 10-4 code, name, match terms ('|'-separated). "
             "Generated by scripts/build-georisk-gazetteer.py; see data/README.md."]
    lines.append("code\tname\tterms")
    for code in sorted(names):
        spec = TERMS.get(code, "")
        if spec.startswith("="):
            terms = [t for t in spec[1:].split("|") if t]
        else:
            terms = [names[code]] + [t for t in spec.split("|") if t]
        assert all("\t" not in t and "|" not in t for t in terms)
        lines.append(f"{code}\t{names[code]}\t{'|'.join(terms)}")
    for phrase in BLOCKERS:
        lines.append(f"-\t{phrase}\t{phrase}")
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print(f"{OUTPUT}: {len(names)} codes, {len(BLOCKERS)} blockers")


if __name__ == "__main__":
    main()
