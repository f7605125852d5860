"""A labelled synthetic population: agency records of invented people, with the truth attached.

Each row is one agency's record of one person. The truth columns (`true_person_id`,
`true_household_id`) say which invented person and household the record belongs to, so a
record-linkage engine can be scored against them. Nothing here is real: names are drawn from
frequency-weighted lists, NHS numbers (modulus 11) and UPNs (check letter) are generated to be
valid and belong to nobody, and addresses are made-up streets under plausible postcode districts.

What makes linkage hard in real multi-agency data is modelled, each at a configurable rate
(`PopulationConfig`): men in the household (partners, step-fathers, visitors known to police and
probation), unborn children later born, twins and siblings close in age, fathers and sons (and
mothers and daughters) sharing a name, families moving between local authorities, very common
names, names transliterated from other scripts, naming customs (patronymics, gendered surnames,
Kaur/Singh, Begum, Akan day names, English names alongside Chinese ones), nicknames, married and
maiden names, children recorded under either parent's surname, double-barrelled surnames cut
short, keying errors in names, dates, postcodes and identifiers, duplicate registrations, and
each agency's recording habits (upper-case surnames, dropped middle names, missing identifiers).

Standard library and python-stdnum only. Deterministic for a seed; generation streams household
by household (`iter_population`), and `generate_population(n)` is a prefix of
`generate_population(n + k)` for the same seed and config.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import itertools
import random
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

from stdnum.gb import nhs, upn

__all__ = [
    "AGENCIES",
    "COLUMNS",
    "LOCAL_AUTHORITIES",
    "ROLES",
    "Address",
    "PopulationConfig",
    "PopulationRecord",
    "TrueHousehold",
    "TruePerson",
    "generate_population",
    "iter_households",
    "iter_population",
    "read_population_csv",
    "write_population_csv",
]

AGENCIES = (
    "police",
    "health_ae",
    "gp",
    "health_visitor",
    "midwifery",
    "school",
    "childrens_social_care",
    "housing",
    "probation",
    "adult_mental_health",
    "substance_misuse",
)
ROLES = ("child", "unborn", "carer", "partner", "visitor")


# --------------------------------------------------------------------------------------------
# The output row
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationRecord:
    """One agency's record of one person; '' means the agency did not record the value."""

    record_id: str
    agency: str
    local_authority: str
    source_ref: str
    given_name: str
    middle_names: str
    family_name: str
    date_of_birth: str  # YYYY-MM-DD, YYYY or ''
    sex: str  # female, male or ''
    nhs_number: str
    upn: str
    postcode: str
    address_line: str
    role: str
    true_person_id: str
    true_household_id: str


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(PopulationRecord))


# --------------------------------------------------------------------------------------------
# Configuration: every corruption and composition rate a benchmark may want to vary
# --------------------------------------------------------------------------------------------

_DEFAULT_NHS_PRESENCE = (
    ("gp", 0.96),
    ("health_visitor", 0.95),
    ("midwifery", 0.92),
    ("health_ae", 0.82),
    ("adult_mental_health", 0.9),
    ("substance_misuse", 0.5),
    ("childrens_social_care", 0.55),
    ("probation", 0.08),
    ("school", 0.04),
    ("police", 0.03),
    ("housing", 0.02),
)
_DEFAULT_UPN_PRESENCE = (("school", 0.97), ("childrens_social_care", 0.35))


@dataclass(frozen=True)
class PopulationConfig:
    """Rates (probabilities) of each household feature and each recording error.

    Defaults aim at a realistic MASH caseload in English cities; set any rate to 0 to switch a
    phenomenon off, or raise it to stress a matcher (`dataclasses.replace(config, ...)`).
    """

    reference_date: dt.date = dt.date(2026, 1, 1)
    # --- households -----------------------------------------------------------------------
    children_weights: tuple[float, ...] = (0.06, 0.32, 0.30, 0.19, 0.13)  # P(0..4 children)
    partner_rate: float = 0.55  # a father or partner is part of the household
    partner_resident_rate: float = 0.8  # ...and lives there (else his own address)
    stepfather_rate: float = 0.3  # the partner is not the father of the older children
    stepfather_own_children_rate: float = 0.4  # ...but is the father of the youngest
    single_father_rate: float = 0.03  # a father is the only carer
    grandparent_rate: float = 0.07
    grandparent_resident_rate: float = 0.5
    visitor_rate: float = 0.12  # a man who visits, known to police or probation
    unborn_rate: float = 0.08  # mother is pregnant (midwifery records an unborn child)
    unborn_born_rate: float = 0.5  # ...and the baby has since been born and recorded with a DOB
    twin_rate: float = 0.016  # per birth
    triplet_rate: float = 0.0006  # per birth
    twin_similar_name_rate: float = 0.3  # twins given rhyming or near names (Ellie / Millie)
    close_sibling_rate: float = 0.12  # next sibling born 10-15 months later
    father_son_same_name_rate: float = 0.06  # eldest son named after his father
    mother_daughter_same_name_rate: float = 0.012
    double_barrelled_rate: float = 0.12  # child of unmarried parents given both surnames
    married_name_rate: float = 0.5  # wife takes husband's surname (scaled by custom)
    mixed_background_rate: float = 0.1  # partner from another background
    recent_arrival_rate: float = 0.3  # non-British households that arrived recently (scaled)
    assigned_dob_rate: float = 0.25  # recent refugees' adults with an assigned 1 January DOB
    goes_by_middle_rate: float = 0.03  # person is known by their middle name
    move_rate: float = 0.18  # household has moved at least once
    cross_la_move_rate: float = 0.65  # ...to another local authority
    second_move_rate: float = 0.2
    # --- records ----------------------------------------------------------------------------
    duplicate_record_rate: float = 0.03  # an agency registers the same person twice
    stale_address_rate: float = 0.35  # a moved family's record still has an older address
    found_at_family_address_rate: float = 0.35  # police/CSC record a visitor at the family home
    transliteration_rate: float = 0.3  # recent arrivals: a name spelt another way
    settled_transliteration_rate: float = 0.05  # settled non-British families
    non_latin_script_rate: float = 0.02  # recent arrivals: names kept in Arabic/Cyrillic/Han
    diacritics_kept_rate: float = 0.3  # Łukasz rather than Lukasz
    name_order_swap_rate: float = 0.008  # given and family name swapped
    east_asian_order_swap_rate: float = 0.15  # family name first (Chinese, Vietnamese)
    spelling_variant_rate: float = 0.03  # Katherine/Kathryn, Davies/Davis, Niamh/Neve
    nickname_rate: float = 0.1  # short form recorded (Tom for Thomas), scaled per agency
    known_as_rate: float = 0.45  # a "known as" name used when the person has one
    middle_as_first_rate: float = 0.01  # middle name recorded as the given name
    middle_in_given_rate: float = 0.02  # "Amelia Rose" typed into the given-name box
    hyphen_part_rate: float = 0.3  # Smith-Jones recorded as Smith or Jones
    maiden_name_rate: float = 0.25  # married woman recorded under her maiden name
    other_parent_surname_rate: float = 0.08  # child recorded under the other parent's surname
    stepfather_surname_rate: float = 0.05  # ...or under the stepfather's
    custom_surname_rate: float = 0.2  # Somali father's name or Kaur/Singh as the surname
    masculine_surname_rate: float = 0.15  # Kowalska recorded as Kowalski
    suffix_rate: float = 0.3  # a named-after-father son recorded with Jr / Jnr
    typo_rate: float = 0.025  # per name field
    case_noise_rate: float = 0.05  # stray case, spaces or punctuation
    dob_missing_rate: float = 0.02
    dob_year_only_rate: float = 0.015
    dob_day_month_swap_rate: float = 0.01
    dob_digit_error_rate: float = 0.01
    dob_off_by_one_rate: float = 0.006
    sex_missing_rate: float = 0.03
    sex_wrong_rate: float = 0.003
    nhs_presence: tuple[tuple[str, float], ...] = _DEFAULT_NHS_PRESENCE
    upn_presence: tuple[tuple[str, float], ...] = _DEFAULT_UPN_PRESENCE
    identifier_typo_rate: float = 0.01  # one digit mistyped, transposed or dropped
    identifier_of_relative_rate: float = 0.002  # mother's NHS number on the baby's record
    identifier_format_rate: float = 0.05  # '943 476 5919' rather than '9434765919'
    postcode_missing_rate: float = 0.04
    postcode_typo_rate: float = 0.01
    postcode_format_rate: float = 0.06
    address_missing_rate: float = 0.03
    address_variant_rate: float = 0.35  # '12, Mill Ln' for '12 Mill Lane'
    local_authority_missing_rate: float = 0.005
    role_confusion_rate: float = 0.05  # partner recorded as visitor and vice versa


# --------------------------------------------------------------------------------------------
# Name tables (weights are rough relative frequencies, not statistics)
# --------------------------------------------------------------------------------------------

_Weighted = tuple[tuple[str, ...], tuple[float, ...]]


def _w(table: str) -> _Weighted:
    """'Olivia:40 Abdul_Rahman:3' -> names and cumulative weights ('_' stands for a space)."""
    names: list[str] = []
    weights: list[float] = []
    for token in table.split():
        name, _, weight = token.partition(":")
        names.append(name.replace("_", " "))
        weights.append(float(weight) if weight else 1.0)
    return tuple(names), tuple(itertools.accumulate(weights))


def _draw(rng: random.Random, table: _Weighted) -> str:
    names, cumulative = table
    return names[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


_BRITISH_GIRLS = _w("""
Olivia:40 Amelia:38 Isla:30 Ava:28 Lily:24 Freya:22 Ivy:22 Florence:20 Mia:20 Willow:18
Isabella:16 Sophia:16 Grace:16 Evie:15 Poppy:15 Daisy:14 Sienna:14 Elsie:14 Emily:14 Ella:14
Rosie:13 Evelyn:13 Charlotte:13 Phoebe:12 Sofia:12 Harper:12 Millie:12 Ruby:12 Matilda:10
Maya:10 Sophie:10 Alice:10 Emilia:10 Isabelle:10 Luna:10 Maisie:9 Aria:9 Ellie:9 Mila:8
Bonnie:8 Eva:8 Chloe:8 Scarlett:8 Eliza:7 Jessica:7 Esme:7 Eleanor:7 Layla:7 Penelope:6
Hallie:6 Lacey:6 Lexi:6 Leah:6 Summer:6 Lola:6 Megan:6 Lucy:6 Paige:5 Holly:5 Erin:5
Hannah:5 Abigail:5 Amber:5 Katie:5 Georgia:5 Imogen:5 Darcie:5 Gracie:5 Harriet:4 Lauren:4
Elizabeth:4 Tilly:4 Jasmine:4 Zoë:3 Zoe:3 Orla:3 Niamh:3 Caitlin:3 Bethany:3 Skye:3 Kayla:3
Madison:3 Abbie:3 Amelie:3 Polly:3 Katherine:2 Nevaeh:2 Neve:2 Ellie-Mae:2 Tia:2 Victoria:2
Rebecca:2 Alexandra:2 Lily-Rose:2 Margaret:1 Jennifer:1 Demi-Leigh:1
""")
_BRITISH_BOYS = _w("""
Noah:40 Oliver:38 George:34 Arthur:32 Leo:30 Harry:24 Oscar:22 Jack:20 Archie:20 Henry:20
Theodore:18 Freddie:18 Charlie:18 Theo:16 Alfie:16 Thomas:16 William:16 Jacob:14 James:14
Finley:12 Lucas:12 Arlo:10 Roman:10 Isaac:10 Teddy:10 Alexander:10 Joshua:10 Tommy:9 Luca:9
Edward:9 Elijah:9 Max:9 Mason:9 Albie:8 Riley:8 Harvey:8 Ethan:8 Samuel:8 Daniel:8 Joseph:8
Reggie:7 Jude:7 Logan:7 Ronnie:6 Louie:6 Jayden:6 Dylan:6 Benjamin:6 Hunter:5 Jaxon:5
Tyler:5 Kai:5 Callum:5 Matthew:5 Lewis:4 Frederick:4 Rory:4 Ryan:4 Connor:4 Liam:4 Bobby:4
Frankie:4 Jenson:4 Harrison:4 Sebastian:4 Stanley:4 Ezra:4 Alfred:3 Zachary:3 Reuben:3
Kian:3 Nathan:3 Aiden:3 Michael:3 Carter:3 Mohammed:3 Muhammad:4 Jaden:2 Kayden:2
Brandon:2 Christopher:2 John:2 Robert:2 Jake:2 Jason:1 Archibald:1
""")
_BRITISH_WOMEN = _w("""
Sarah:20 Emma:20 Laura:18 Amy:18 Rebecca:16 Lauren:16 Gemma:15 Jessica:14 Hannah:14
Charlotte:14 Samantha:14 Jade:14 Sophie:14 Danielle:12 Nicola:12 Katie:12 Chloe:12 Kirsty:10
Stacey:10 Kelly:10 Claire:10 Leanne:10 Natalie:10 Chelsea:10 Rachel:10 Victoria:10 Megan:10
Emily:10 Lucy:10 Michelle:8 Lisa:8 Louise:8 Amber:8 Kayleigh:8 Jennifer:8 Elizabeth:8 Jodie:8
Stephanie:8 Shannon:8 Bethany:8 Holly:8 Georgia:8 Paige:8 Courtney:8 Hayley:7 Katherine:6
Catherine:6 Zoe:6 Abigail:6 Ellie:6 Jasmine:6 Leah:6 Natasha:6 Kimberley:5 Joanne:5 Carly:5
Kerry:5 Demi:5 Grace:5 Molly:5 Tracey:4 Donna:4 Alice:4 Eleanor:4 Olivia:4 Naomi:4 Amanda:4
Toni:4 Charlene:4 Ashleigh:4 Alexandra:4 Millie:4 Caitlin:4 Erin:4 Amelia:3 Siobhan:3 Deborah:3
Sian:3 Rhiannon:3 Sharon:3 Joanna:3 Harriet:3 Niamh:3 Eve:3 Cerys:2 Jacqueline:2 Susan:2
Josephine:2 Isabella:2 Isabelle:2 Rose:2 Ffion:1 Margaret:1 Florence:1 Matilda:1 Zoë:1
""")
_BRITISH_MEN = _w("""
James:20 David:18 Daniel:18 Michael:16 Christopher:16 Thomas:16 Matthew:16 Ryan:14 John:14
Jack:14 Andrew:12 Jamie:12 Liam:12 Luke:12 Adam:12 Mark:12 Paul:12 Robert:12 Joshua:12
Richard:10 Joseph:10 Samuel:10 Callum:10 Connor:10 Jordan:10 Nathan:10 William:10 Craig:8
Lee:8 Scott:8 Stephen:8 Steven:8 Anthony:8 Benjamin:8 Kieran:8 Aaron:8 Kyle:8 Bradley:8 Jake:8
Harry:8 Lewis:8 Dean:7 Jason:7 Darren:6 Ashley:6 Shaun:6 Carl:6 Dylan:6 Reece:6 Alexander:6
Peter:6 Jonathan:6 Oliver:6 Wayne:5 Gareth:5 Rhys:5 Kevin:5 Gary:5 Martin:5 Nicholas:5
George:5 Tyler:5 Neil:4 Simon:4 Edward:4 Jay:4 Sean:4 Elliot:4 Charles:3 Ben:3 Tom:3 Danny:3
Ricky:3 Timothy:3 Patrick:3 Dominic:3 Henry:2 Kenneth:1 Ronald:1 Terence:1 Frederick:1
""")
_BRITISH_ELDER_WOMEN = _w("""
Susan:10 Karen:10 Julie:10 Linda:8 Margaret:8 Christine:8 Tracey:8 Sharon:8 Deborah:7
Sandra:7 Patricia:6 Janet:6 Elaine:6 Jacqueline:6 Carol:6 Denise:6 Angela:6 Lorraine:5
Dawn:5 Alison:5 Michelle:5 Joanne:5 Elizabeth:5 Mary:5 Gillian:4 Wendy:4 Beverley:4 Lesley:4
Pauline:4 Kim:4 Catherine:4 Anne:4 Jennifer:3 Maureen:3 Valerie:2 Josephine:2 Theresa:2
""")
_BRITISH_ELDER_MEN = _w("""
David:10 John:10 Michael:8 Paul:8 Peter:7 Stephen:7 Robert:7 Gary:7 Anthony:6 Mark:6
Kevin:6 Ian:6 Andrew:6 Richard:5 Christopher:5 Steven:5 Alan:5 James:5 Keith:4 Brian:4
William:4 Martin:4 Colin:3 Graham:3 Terence:3 Kenneth:3 Raymond:3 Philip:3 Barry:3 Ronald:2
Patrick:2 Trevor:2 Derek:2 Dennis:2 Edward:2 Charles:2 Leonard:1 Gerald:1 Lawrence:1
Francis:1 Reginald:1 Stanley:1 Albert:1
""")
_BRITISH_MIDDLE_GIRLS = _w("""
Rose:20 Mae:14 Grace:14 May:10 Louise:10 Marie:10 Elizabeth:10 Jane:8 Anne:6 Lily:6 Jade:5
Leigh:5 Olivia:4 Victoria:4 Ann:4 Hope:4 Faith:3 Amelia:3 Isabella:3 Frances:3 Eve:3
Catherine:2 Margaret:2 Emily:3 Alice:3 Florence:3 Skye:2
""")
_BRITISH_MIDDLE_BOYS = _w("""
James:24 John:14 William:12 Thomas:10 David:10 Lee:8 Michael:8 Paul:6 Robert:8 Alexander:6
George:8 Edward:5 Charles:5 Peter:5 Joseph:6 Jack:4 Anthony:5 Dean:3 Jay:4 Ray:3 Arthur:4
Henry:4 Oliver:3 Frederick:3 Alan:3 Richard:3 Christopher:3 Daniel:3 Leo:2
""")
_BRITISH_SURNAMES = _w("""
Smith:120 Jones:90 Williams:80 Taylor:60 Brown:60 Davies:55 Evans:45 Wilson:45 Thomas:42
Johnson:40 Roberts:40 Robinson:35 Thompson:35 Wright:34 Walker:33 White:32 Edwards:31
Hughes:31 Green:30 Hall:30 Lewis:29 Harris:29 Clarke:28 Jackson:27 Wood:26 Turner:25 Martin:25
Cooper:25 Hill:25 Ward:24 Morris:24 Moore:24 Clark:23 Lee:23 King:23 Baker:22 Harrison:22
Morgan:22 Allen:21 James:21 Scott:21 Phillips:20 Watson:20 Davis:19 Parker:19 Price:19
Bennett:19 Young:19 Griffiths:19 Mitchell:18 Kelly:18 Cook:18 Carter:18 Richardson:17
Bailey:17 Collins:17 Bell:17 Shaw:17 Murphy:17 Miller:16 Cox:16 Richards:16 Marshall:15
Anderson:15 Simpson:15 Ellis:15 Adams:15 Campbell:15 Wilkinson:14 Foster:14 Chapman:14
Mason:14 Webb:14 Rogers:14 Powell:14 Hunt:13 Holmes:13 Mills:13 Owen:13 Palmer:13 Matthews:13
Lloyd:13 Thomson:12 Fisher:12 Barnes:12 Knight:12 Butler:12 Jenkins:12 Lawrence:11 Russell:11
Barker:11 Stevens:11 Murray:11 Dixon:11 Harvey:11 Graham:11 Pearson:11 Fletcher:10 Walsh:10
Gibson:10 Howard:10 Andrews:10 Stewart:10 Elliott:10 Reynolds:10 Saunders:10 Payne:10 Fox:10
Ford:10 Pearce:10 Day:10 Brooks:9 West:9 Lawson:9 Cole:9 Atkinson:9 Bradley:9 Spencer:9
Dawson:9 Ball:9 Burton:9 Watts:9 Rose:9 Booth:9 Perry:9 Ryan:9 O'Brien:8 Grant:8 Wells:8
Armstrong:8 Francis:8 Rees:8 Hayes:8 Hart:8 Hudson:8 Newman:8 Barrett:8 Webster:8 Hunter:8
Gregory:8 Carr:8 Lowe:8 Page:8 Marsh:8 Riley:8 Dunn:8 Woods:8 Parsons:8 Berry:8 Stone:8
Reid:8 Holland:7 Hawkins:7 Harding:7 Porter:7 Robertson:7 Newton:7 Oliver:7 Reed:7 Kennedy:7
Williamson:7 Bird:7 Gardner:7 Dean:7 Lane:7 Cooke:7 Bates:7 Henderson:7 Parry:7 Burgess:7
Bishop:7 Walton:7 Burns:7 Nicholson:7 Shepherd:7 Ross:7 Cross:7 Long:7 Freeman:7 Warren:7
Nicholls:7 Hamilton:7 Byrne:6 Sutton:6 McDonald:6 Yates:6 Hodgson:6 Robson:6 Curtis:6
Hopkins:6 O'Connor:6 Harper:6 Coleman:6 Watkins:6 Moss:6 McCarthy:6 Chambers:6 O'Neill:6
Griffin:6 Sharp:6 Hardy:6 Wheeler:6 Potter:6 Osborne:6 Johnston:6 Gordon:6 Doyle:6 Wallace:6
George:6 Jordan:6 Hutchinson:6 Rowe:6 Burke:6 May:6 Pritchard:5 Gilbert:5 Willis:5 Higgins:5
Read:5 Miles:5 Stevenson:5 Stephenson:5 Hammond:5 Arnold:5 Buckley:5 Walters:5 Hewitt:5
Barber:5 Nelson:5 Slater:5 Austin:5 Sullivan:5 Whitehead:5 Mann:5 Frost:5 Lambert:5
Stephens:5 Blake:5 Lynch:5 Goodwin:5 Barton:5 Woodward:5 Bowen:4 Fraser:4 Cameron:4
McKenzie:3 MacDonald:3 Sinclair:3 Pugh:3 Vaughan:3 Llewellyn:2 MacLeod:2 Howells:2
Campbell-Smith:1 Lloyd-Jones:1
""")
_IRISH_GIRLS = _w("""
Niamh:8 Aoife:8 Saoirse:6 Róisín:5 Ciara:6 Orla:6 Caoimhe:4 Siobhán:4 Sinéad:3 Mary:6
Bridget:4 Margaret:4 Kathleen:4 Gráinne:2 Emily:5 Grace:6 Ellie:5 Kayleigh:3 Shauna:3
Chloe:4 Tiffany:2 Jessica:3
""")
_IRISH_BOYS = _w("""
Seán:8 Ciarán:6 Patrick:8 Michael:8 John:8 Conor:6 Cian:5 Oisín:4 Darragh:4 Liam:5 Eoin:4
Pádraig:3 Declan:4 Aidan:4 Martin:5 Tommy:4 Johnny:4 Jimmy:3 Paddy:2 Kieran:3 Dylan:3 Jack:4
""")
_IRISH_SURNAMES = _w("""
Murphy:12 Kelly:10 O'Sullivan:8 Walsh:8 O'Brien:8 Byrne:8 Ryan:7 O'Connor:8 O'Neill:7
O'Reilly:6 Doyle:6 McCarthy:6 Gallagher:5 Doherty:6 Kennedy:5 Lynch:5 Murray:5 Quinn:5
McLoughlin:4 Connolly:4 Daly:4 O'Connell:4 Ward:8 McDonagh:6 Joyce:5 Connors:5 Stokes:4
Maughan:3 Casey:4 McGinley:2 Fitzgerald:4 Brennan:4 Keane:3 Flanagan:3
""")
_PAKISTANI_GIRLS = _w("""
Fatima:14 Aisha:12 Maryam:12 Zainab:10 Hafsa:8 Zara:8 Ayesha:8 Khadija:7 Amina:7 Inaya:6
Sana:6 Eman:5 Mariam:5 Aleena:5 Anaya:5 Nadia:5 Noor:5 Yasmin:5 Hania:4 Saima:4 Shazia:4
Sadia:4 Iqra:4 Amna:4 Rukhsana:3 Nasreen:3 Samina:3 Mehwish:3 Hira:3 Kiran:3 Bushra:3
Shabana:3 Safa:3 Sumaya:3 Tahira:2 Hannah:2 Amira:2
""")
_PAKISTANI_BOYS = _w("""
Muhammad:50 Mohammed:30 Mohammad:8 Ali:12 Ahmed:10 Hamza:10 Ibrahim:10 Yusuf:8 Usman:8
Zain:8 Bilal:7 Ayaan:7 Umar:7 Rayyan:6 Abdullah:6 Hassan:6 Imran:6 Hussain:5 Asif:5 Adnan:5
Adam:5 Tariq:4 Kamran:4 Faisal:4 Shahid:4 Musa:4 Abdul:4 Zubair:3 Haroon:3 Arslan:3 Saad:3
Zakariya:3 Waqas:3 Naveed:3 Amir:3 Eesa:2 Idris:2 Aryan:2 Aliyan:2
""")
_PAKISTANI_SURNAMES = _w("""
Khan:60 Ahmed:30 Ali:30 Hussain:28 Iqbal:12 Mahmood:12 Malik:12 Akhtar:8 Shah:10 Butt:8
Chaudhry:8 Rashid:6 Aslam:6 Qureshi:6 Rehman:6 Sheikh:6 Mohammed:6 Mirza:5 Raza:5 Riaz:5
Javed:5 Anwar:5 Nawaz:5 Bashir:5 Rafiq:5 Arshad:5 Hassan:5 Ashraf:5 Siddiqui:4 Sadiq:4
Hanif:4 Younis:4 Saleem:4 Yousaf:4 Zaman:4 Latif:4 Aziz:4 Karim:3
""")
_PAKISTANI_WIFE_SURNAMES = _w("Bibi:10 Begum:8 Akhtar:6 Kausar:4 Parveen:4 Nasreen:2 Kauser:2")
_BANGLADESHI_GIRLS = _w("""
Fatima:10 Ayesha:8 Maryam:8 Aisha:6 Zainab:6 Sumaiya:6 Tasnim:5 Salma:5 Halima:5 Safiya:5
Khadija:5 Nusrat:4 Shirin:4 Ruksana:4 Rahima:4 Taslima:4 Jasmin:4 Sabina:4 Inaya:4 Amira:4
Anisa:4 Sadia:4 Farzana:4 Hasina:3 Nazia:3 Tahmina:3 Sharmin:3 Rima:3 Nabila:3 Mim:2
""")
_BANGLADESHI_BOYS = _w("""
Mohammed:30 Muhammad:25 Abdul:10 Mohammad:8 Ayaan:6 Ibrahim:6 Yusuf:6 Rayan:6 Zayan:5
Ismail:5 Hamza:5 Syed:5 Abu:4 Shahid:4 Jamal:4 Kamal:4 Abdul_Rahman:4 Imran:4 Adam:4
Sultan:3 Shafiq:3 Mizanur:3 Habibur:3 Anwar:3 Tanvir:3 Rahim:3 Zakaria:3 Yahya:3 Nazrul:2
Mahfuz:2
""")
_BANGLADESHI_SURNAMES = _w("""
Ahmed:25 Rahman:25 Uddin:20 Miah:20 Ali:20 Hussain:15 Islam:15 Chowdhury:10 Khan:10 Hoque:8
Alam:8 Hossain:8 Haque:6 Ullah:6 Choudhury:5 Akhtar:4 Karim:4 Siddique:4 Rashid:4 Amin:4
Mia:3 Sheikh:3 Talukder:3 Bhuiyan:3 Sarkar:3
""")
_BANGLADESHI_WIFE_SURNAMES = _w("""
Begum:40 Khatun:15 Akter:10 Sultana:6 Akhtar:5 Bibi:5 Khanom:4 Nessa:3 Parveen:3
""")
_INDIAN_GIRLS = _w("""
Priya:8 Anjali:6 Pooja:6 Neha:5 Divya:5 Riya:6 Ananya:5 Aanya:5 Diya:5 Isha:5 Meera:4
Sita:2 Kavita:4 Sunita:3 Nisha:5 Asha:3 Shreya:4 Kajal:3 Hema:3 Bhavna:3 Krupa:2 Janki:2
""")
_INDIAN_BOYS = _w("""
Arjun:7 Rohan:6 Aarav:6 Vihaan:5 Krish:5 Aryan:5 Dev:4 Rahul:6 Amit:5 Sanjay:4 Vijay:4 Raj:4
Nikhil:4 Rajesh:4 Sunil:4 Anil:3 Ravi:4 Harish:3 Kiran:3 Sai:3 Ishaan:4 Veer:3 Hitesh:3
Jignesh:2 Mahesh:3 Dinesh:3
""")
_INDIAN_SURNAMES = _w("""
Patel:60 Sharma:10 Shah:10 Kumar:10 Mistry:8 Parmar:8 Solanki:5 Chauhan:5 Joshi:5 Gupta:5
Mehta:5 Desai:4 Chavda:3 Rana:3 Pandya:3 Makwana:3 Vaghela:3 Nair:3 Lad:2 Naidu:2 Pillai:2
Reddy:2 Rao:2 Varma:2 Iyer:2 Gohil:2
""")
_SIKH_GIRLS = _w("""
Harpreet:6 Manpreet:6 Jaspreet:5 Gurpreet:5 Simran:6 Navneet:4 Amandeep:4 Rajinder:3
Kiranjit:3 Jasmeet:4 Harleen:4 Ravneet:3 Parveen:3 Sukhpreet:3 Amrit:3 Gurleen:3 Jasleen:3
""")
_SIKH_BOYS = _w("""
Gurpreet:5 Harpreet:5 Jaswinder:4 Manpreet:5 Amarjit:4 Sukhdev:3 Harjit:4 Jasdeep:4 Arjan:4
Jasraj:3 Ranveer:3 Kulwinder:3 Balwinder:3 Gurdeep:3 Amrit:3 Harvinder:3 Jaskaran:3 Ekam:2
""")
_SIKH_SURNAMES = _w("""
Gill:10 Sandhu:10 Sidhu:8 Dhillon:8 Bains:6 Johal:5 Grewal:5 Dhaliwal:5 Kang:5 Sahota:4
Atwal:4 Mann:4 Rai:4 Bhogal:3 Virdi:3 Hayer:3 Chahal:3 Bassi:3 Singh:6
""")
_ARAB_GIRLS = _w("""
Fatima:8 Mariam:6 Maryam:5 Aya:6 Noor:6 Sara:6 Layla:5 Aisha:5 Nour:4 Rania:4 Yasmin:4
Amira:4 Zainab:4 Lina:4 Reem:4 Salma:4 Jana:4 Leila:3 Sarah:3 Hala:3 Huda:3 Hiba:3 Dina:3
Rana:3 Asmaa:3 Malak:3 Khadija:3 Amal:3 Heba:2 Lujain:2 Rahaf:2 Shahad:2 Ruqayya:2 Samira:2
""")
_ARAB_BOYS = _w("""
Mohammed:20 Mohamed:10 Ahmed:10 Muhammad:8 Ali:8 Omar:8 Yousef:6 Ahmad:6 Ibrahim:6
Abdullah:6 Khaled:5 Khalid:5 Hassan:5 Hussein:5 Mustafa:5 Youssef:4 Abdul_Rahman:4 Mahmoud:4
Hamza:4 Adam:4 Karim:4 Zaid:4 Abdulrahman:3 Tariq:3 Samir:3 Sami:3 Amir:3 Yahya:3 Anas:3
Bilal:3 Faisal:3 Rami:3 Majed:2 Walid:2 Jamal:2 Nabil:2 Saleh:2 Fadi:2 Ayman:2
""")
_ARAB_SURNAMES = _w("""
Ali:10 Hassan:10 Hussein:8 Ahmed:8 Mohammed:8 Mohamed:6 Abdullah:6 Ibrahim:6 Saleh:6 Khalil:5
Mansour:5 Mahmoud:5 Abbas:5 Haddad:4 Nasser:4 Othman:4 Al-Ali:4 Suleiman:4 Aziz:4 Omar:4
Youssef:4 Al-Hassan:3 Al-Najjar:3 Al-Sayed:3 Jaber:3 Hamdan:3 Salem:3 Kareem:3 Darwish:3
Qasim:3 Hamid:3 Al-Masri:2 Al-Hamad:2 Al-Khatib:2
""")
_AFGHAN_GIRLS = _w("""
Fatima:6 Zahra:6 Maryam:5 Marzia:3 Mursal:3 Parwana:3 Nargis:3 Shabnam:3 Farzana:3 Madina:3
Sakina:3 Zainab:3 Roya:3 Mina:3 Sahar:3 Mahsa:2 Hadia:2 Nazanin:2 Sadaf:2 Zarghona:2 Homa:2
""")
_AFGHAN_BOYS = _w("""
Mohammad:15 Ahmad:10 Ali:6 Abdul:6 Mustafa:5 Hamid:4 Jawad:4 Khalid:4 Farhad:4 Sayed:4
Omid:4 Rahmatullah:3 Hamidullah:3 Wahid:3 Nasir:3 Ehsan:3 Sohail:3 Zabihullah:2 Mujtaba:2
Hasibullah:2 Bilal:2 Idris:2 Yama:1
""")
_AFGHAN_SURNAMES = _w("""
Ahmadi:10 Mohammadi:10 Rahimi:6 Karimi:6 Hakimi:5 Noori:5 Hussaini:5 Ahmadzai:5 Amiri:5
Haidari:5 Sultani:4 Safi:4 Rezaei:4 Jafari:4 Azizi:4 Habibi:4 Nazari:4 Sharifi:4 Nouri:3
Stanikzai:3 Sadat:3 Samadi:3 Wardak:3 Durrani:3 Popal:2
""")
_SOMALI_GIRLS = _w("""
Amina:6 Fatima:6 Hodan:5 Asha:5 Halima:5 Faduma:5 Ayan:5 Hawa:5 Hibo:4 Sahra:4 Deeqa:4
Ifrah:4 Sagal:4 Muna:4 Sumaya:4 Maryan:4 Ubah:3 Nimco:3 Idil:3 Hamdi:3 Samira:3 Safiya:3
Khadra:3 Ilhan:3 Nasra:3 Najma:3 Istahil:2 Zamzam:2
""")
_SOMALI_BOYS = _w("""
Mohamed:20 Abdi:10 Ahmed:10 Ali:8 Abdullahi:8 Hassan:6 Omar:6 Yusuf:6 Abdirahman:6
Ibrahim:5 Abdikarim:4 Hussein:4 Ismail:4 Said:4 Osman:4 Farah:4 Abdirahim:3 Mustafe:3
Khalid:3 Bashir:3 Hamza:3 Liban:3 Guled:3 Mahad:3 Jama:3 Nur:3 Adan:3 Sharmarke:2 Warsame:2
""")
_SOMALI_SURNAMES = _w("""
Mohamed:12 Ahmed:8 Ali:8 Abdi:8 Hassan:6 Omar:5 Yusuf:5 Farah:6 Abdullahi:5 Warsame:4
Jama:4 Nur:4 Osman:4 Hussein:4 Ismail:3 Aden:4 Egal:2 Hirsi:3 Duale:3 Elmi:3 Gure:2
Mohamud:4 Hersi:3
""")
_POLISH_GIRLS = _w("""
Anna:10 Zuzanna:8 Julia:8 Zofia:8 Maja:8 Katarzyna:8 Agnieszka:8 Lena:7 Aleksandra:7
Małgorzata:7 Joanna:7 Magdalena:7 Hanna:6 Alicja:6 Maria:6 Oliwia:6 Wiktoria:6 Natalia:6
Monika:6 Karolina:6 Amelia:5 Ewa:5 Justyna:5 Marta:5 Paulina:5 Weronika:5 Dorota:4 Emilia:4
Patrycja:4 Sylwia:4 Kinga:3 Beata:3 Iwona:3
""")
_POLISH_BOYS = _w("""
Jakub:10 Kacper:10 Tomasz:10 Piotr:10 Szymon:8 Filip:8 Jan:8 Michał:8 Łukasz:8 Paweł:8
Krzysztof:8 Marcin:8 Mateusz:8 Antoni:6 Mikołaj:6 Wojciech:6 Adam:6 Bartosz:6 Kamil:6
Dawid:6 Dominik:5 Aleksander:5 Maciej:5 Oliwer:4 Igor:4 Grzegorz:4 Damian:4 Sebastian:4
Rafał:4 Marek:4 Artur:4 Daniel:4 Patryk:4 Przemysław:3 Zbigniew:2
""")
_POLISH_SURNAMES = _w("""
Nowak:20 Kowalski:15 Wiśniewski:10 Wójcik:10 Kowalczyk:9 Kamiński:9 Lewandowski:9
Zieliński:8 Szymański:8 Woźniak:8 Dąbrowski:7 Kozłowski:6 Jankowski:6 Mazur:6 Kwiatkowski:5
Krawczyk:5 Piotrowski:5 Grabowski:5 Nowakowski:4 Pawłowski:4 Michalski:4 Król:4 Wieczorek:4
Jabłoński:4 Wróbel:4 Majewski:3 Olszewski:3 Stępień:3 Malinowski:3 Jaworski:3 Adamczyk:3
Dudek:3 Nowicki:3 Pawlak:3 Górski:3 Sikora:3 Walczak:3 Rutkowski:3 Baran:3 Zając:3
Szewczyk:3 Ostrowski:3 Tomaszewski:3 Zalewski:2 Wróblewski:2 Pietrzak:2 Jasiński:2
""")
_ROMANIAN_GIRLS = _w("""
Maria:10 Elena:8 Ioana:8 Andreea:7 Alexandra:6 Ana:6 Mădălina:5 Denisa:5 Gabriela:5
Mihaela:5 Cristina:5 Alina:5 Florentina:4 Daniela:4 Georgiana:4 Roxana:4 Bianca:4 Larisa:4
Nicoleta:4 Sara:4 Ionela:3 Simona:3 Antonia:3 Florina:3 Rebeca:3 Ecaterina:2 Violeta:2
Luminița:2 Miruna:2
""")
_ROMANIAN_BOYS = _w("""
Andrei:10 Alexandru:10 Mihai:8 Ionuț:6 Ion:6 Gabriel:6 Ștefan:6 Marius:6 Daniel:6
Cristian:6 Florin:5 Adrian:5 Constantin:5 Bogdan:5 David:5 Luca:5 Gheorghe:4 Vasile:4
Nicolae:4 Denis:4 Robert:4 Dumitru:3 Claudiu:3 Mario:3 Sorin:3 Valentin:3 Cosmin:3
Ciprian:3 Alin:3 Răzvan:3 Costel:2 Fănel:1
""")
_ROMANIAN_SURNAMES = _w("""
Popescu:8 Popa:8 Pop:6 Radu:6 Dumitru:6 Ionescu:5 Stan:5 Stoica:5 Gheorghe:5 Ciobanu:5
Rusu:5 Munteanu:5 Constantin:5 Matei:4 Lăcătuș:4 Moldovan:4 Mihai:4 Căldăraru:3 Ene:3
Dinu:3 Nistor:3 Lupu:3 Toma:3 Marin:3 Ilie:3 Florea:3 Anghel:3 Sandu:3 Badea:3 Tudor:3
Oprea:3 Barbu:3 Cojocaru:3 Zamfir:2 Șerban:2 Dobre:2 Nedelcu:2 Ursu:2 Stănescu:2
""")
_UKRAINIAN_GIRLS = _w("""
Olena:8 Anastasia:7 Kateryna:7 Yulia:6 Natalia:6 Tetiana:6 Oksana:6 Iryna:6 Sofiia:6
Anna:6 Viktoria:5 Daria:5 Mariia:5 Olha:5 Alina:4 Svitlana:4 Polina:4 Khrystyna:3 Yana:3
Valentyna:2 Liudmyla:2
""")
_UKRAINIAN_BOYS = _w("""
Oleksandr:10 Dmytro:8 Andriy:7 Maksym:7 Serhiy:6 Ivan:6 Artem:6 Mykola:5 Bohdan:5
Volodymyr:5 Yevhen:4 Vladyslav:4 Denys:4 Yuriy:4 Oleh:4 Roman:4 Danylo:4 Ihor:4 Taras:3
Vitaliy:3 Mark:3 Matviy:3
""")
_UKRAINIAN_SURNAMES = _w("""
Shevchenko:8 Kovalenko:6 Bondarenko:6 Melnyk:6 Tkachenko:5 Kravchenko:5 Boyko:5 Koval:5
Oliinyk:4 Shevchuk:4 Polishchuk:4 Lysenko:4 Marchenko:4 Kovalchuk:4 Savchenko:3 Rudenko:3
Moroz:3 Petrenko:3 Ivanov:3 Popov:2 Kuznetsov:2 Kovalskyi:2
""")
_LITHUANIAN_GIRLS = _w("""
Emilija:5 Gabija:5 Rūta:5 Laura:5 Ieva:5 Ugnė:4 Austėja:4 Kamilė:4 Jurgita:4 Inga:4 Agnė:4
Eglė:4 Simona:4 Greta:4 Rasa:3 Vaida:3 Milda:3 Aistė:3
""")
_LITHUANIAN_BOYS = _w("""
Tomas:7 Lukas:6 Jonas:6 Mantas:6 Darius:6 Matas:5 Marius:5 Andrius:5 Paulius:4 Justas:4
Dominykas:4 Nojus:4 Vytautas:4 Rokas:4 Kajus:3 Arnas:3 Gytis:3 Karolis:3
""")
_LITHUANIAN_SURNAMES = _w("""
Kazlauskas:6 Jankauskas:5 Petrauskas:5 Stankevičius:5 Vasiliauskas:4 Žukauskas:4 Butkus:4
Paulauskas:4 Urbonas:4 Kavaliauskas:4 Baranauskas:3 Pocius:3 Navickas:3 Sakalauskas:3
Rimkus:3 Juška:2
""")
_CZSK_GIRLS = _w("""
Natália:5 Nikola:5 Simona:4 Veronika:5 Lucia:5 Kristína:4 Petra:4 Monika:4 Zuzana:5 Jana:5
Klaudia:4 Denisa:4 Vanesa:3 Viktória:3 Michaela:4 Andrea:4
""")
_CZSK_BOYS = _w("""
Jakub:5 Tomáš:5 Martin:6 Peter:5 Marek:5 Michal:5 Lukáš:5 Jozef:4 Ján:4 Milan:4 Dávid:4
Patrik:4 Samuel:3 Matej:3 Dominik:4 Roman:3 Ladislav:3 Denis:3
""")
_CZSK_SURNAMES = _w("""
Horváth:8 Baláž:6 Kováč:6 Lakatoš:5 Varga:5 Oláh:5 Novák:5 Tóth:4 Dvořák:4 Gábor:4 Kučera:3
Demeter:3 Rigo:3 Červeňák:3 Ferko:3 Kotlár:3 Bandy:3 Dudi:2
""")
_BULGARIAN_GIRLS = _w("""
Maria:6 Ivana:5 Elena:5 Desislava:4 Gergana:4 Viktoria:4 Nikol:4 Teodora:4 Radostina:3
Yoana:4 Kristina:4 Petya:3 Galya:3 Aleksandra:3
""")
_BULGARIAN_BOYS = _w("""
Georgi:6 Ivan:6 Dimitar:5 Nikolay:5 Aleksandar:5 Martin:4 Hristo:4 Stefan:4 Petar:4 Viktor:3
Kaloyan:3 Yordan:3 Plamen:3
""")
_BULGARIAN_SURNAMES = _w("""
Ivanov:8 Georgiev:6 Dimitrov:6 Petrov:6 Nikolov:5 Hristov:4 Stoyanov:4 Todorov:4 Iliev:3
Vasilev:3 Atanasov:3 Angelov:3 Yordanov:3 Kolev:3 Marinov:3
""")
_NIGERIAN_GIRLS = _w("""
Blessing:6 Precious:6 Favour:5 Grace:5 Esther:5 Joy:5 Chioma:5 Deborah:4 Mercy:4 Chiamaka:4
Ngozi:4 Adaeze:3 Funmilayo:3 Olufunmilayo:3 Oluwatoyin:3 Temitope:3 Folake:3 Yetunde:3
Bukola:3 Abimbola:3 Ifeoma:3 Nneka:3 Amara:3 Tolulope:3 Damilola:3 Peace:3 Patience:3
Adenike:2 Oluwaseun:2 Gift:2 Comfort:2 Victoria:2 Ruth:2 Chinonso:2
""")
_NIGERIAN_BOYS = _w("""
Emmanuel:8 David:6 Daniel:6 Samuel:6 Joshua:5 Michael:5 Victor:4 Chinedu:4 Chukwuemeka:4
Oluwaseun:4 Oluwadamilare:3 Oluwatobiloba:3 Ayodeji:3 Adebayo:3 Olumide:3 Babatunde:3
Ikechukwu:3 Obinna:3 Chidi:3 Ifeanyi:3 Nnamdi:3 Godwin:3 Oluwafemi:3 Tunde:3 Kelechi:2
Uche:2 Kayode:2 Segun:2 Testimony:2 Divine:2 Jeremiah:2 Chinonso:2 Temitope:2 Ebuka:2
""")
_NIGERIAN_SURNAMES = _w("""
Okafor:6 Okonkwo:5 Adeyemi:5 Adebayo:5 Eze:5 Okoro:4 Nwosu:4 Afolabi:4 Balogun:4 Obi:4
Okeke:4 Ogunleye:3 Olawale:3 Oladipo:3 Ibrahim:3 Nwachukwu:3 Ogundipe:3 Akinola:3 Adeleke:3
Chukwu:3 Ojo:3 Bello:3 Alabi:3 Okoye:3 Lawal:3 Williams:3 Johnson:3 Oyelaran:2 Ogunbiyi:2
Uzoma:2 Oyewole:2 Ezeh:2 Onyeka:2 Agbaje:2 Babatunde:2 Oyedepo:2
""")
_GHANAIAN_GIRLS = _w("""
Abigail:5 Priscilla:4 Gifty:4 Mavis:3 Esther:4 Vida:3 Comfort:3 Doris:3 Gloria:3 Rita:3
Linda:3 Jennifer:3 Sandra:3 Elizabeth:3 Mabel:2 Eunice:3 Felicia:3 Nana:3 Princess:3
""")
_GHANAIAN_BOYS = _w("""
Emmanuel:6 Michael:5 Daniel:5 Samuel:5 Isaac:4 Joseph:4 Richard:4 Prince:4 Kelvin:3 Nana:3
Eric:3 Stephen:3 Ebenezer:3 Francis:3 Bernard:3 Felix:2 Godfred:2
""")
_GHANAIAN_SURNAMES = _w("""
Mensah:10 Owusu:8 Boateng:8 Osei:7 Asante:6 Appiah:6 Agyeman:5 Amoah:5 Acheampong:4 Addo:4
Ansah:4 Darko:4 Ofori:4 Opoku:4 Sarpong:4 Adjei:4 Frimpong:4 Tetteh:4 Yeboah:4 Asamoah:3
Antwi:3 Quaye:3 Quartey:3 Annan:3 Baidoo:3 Amponsah:3 Gyamfi:3 Bonsu:3 Oduro:3 Nkrumah:2
Danquah:2 Kyei:2
""")
# Akan day names by weekday of birth (Monday first): (male, female).
_AKAN_DAY_NAMES = (
    ("Kwadwo", "Adwoa"),
    ("Kwabena", "Abena"),
    ("Kwaku", "Akua"),
    ("Yaw", "Yaa"),
    ("Kofi", "Afua"),
    ("Kwame", "Ama"),
    ("Kwasi", "Akosua"),
)
_CHINESE_GIRLS = _w("""
Xinyi:4 Jiahui:4 Mei:4 Ling:4 Jing:4 Yuting:3 Zihan:3 Siyu:3 Yiting:3 Xiaoyu:3 Hui:3 Yan:3
Wing_Yan:2 Hoi_Yan:2 Ka_Man:2
""")
_CHINESE_BOYS = _w("""
Wei:5 Haoran:4 Yuxuan:4 Ming:4 Hao:3 Zihan:3 Junjie:3 Jian:3 Jun:3 Yichen:3 Zhiwei:3
Tianyi:3 Jiahao:3 Ka_Ho:2 Chi_Wing:2
""")
_CHINESE_SURNAMES = _w("""
Wang:10 Li:10 Zhang:9 Liu:7 Chen:7 Chan:8 Wong:8 Yang:5 Huang:4 Zhao:4 Wu:4 Zhou:4 Lee:6
Cheung:5 Lau:5 Leung:5 Ng:4 Lam:4 Xu:3 Sun:3 Ma:3 Zhu:3 Hu:3 Lin:3 Ho:3 Yeung:3 Tang:3
Chow:3 Guo:2 He:2 Gao:2 Luo:2 Tsang:2 Chiu:2 Kwok:2 Yip:2 Fung:2 Mak:2 Poon:2
""")
_ENGLISH_NAMES_WOMEN = _w("""
Amy:4 Cindy:3 Grace:3 Emily:3 Vivian:3 Joyce:2 Crystal:2 Angela:3 Helen:3 Jenny:3 Lily:3
Kelly:2 Winnie:2 Gloria:1
""")
_ENGLISH_NAMES_MEN = _w("""
Kevin:4 Jason:3 Eric:3 Tony:3 Andy:3 Jacky:2 Vincent:3 Alan:2 Michael:3 Peter:3 Johnny:2
Ken:2 Sam:2 David:3
""")
_VIETNAMESE_GIRLS = _w("""
Linh:5 Anh:4 Hương:4 Lan:4 Mai:4 Thảo:4 Trang:4 Phương:4 Hoa:3 Ngọc:3 Hà:3 Hằng:3 Nhung:3
Vy:3 My:3 Thủy:3 Yến:3 Chi:3 Nga:2
""")
_VIETNAMESE_BOYS = _w("""
Minh:5 Anh:4 Tuấn:4 Hùng:4 Nam:4 Huy:4 Dũng:3 Hải:3 Long:3 Quang:3 Khánh:3 Phúc:3 Bảo:3
Đạt:3 Sơn:3 Thắng:2 Trung:2 Việt:2 Khoa:2
""")
_VIETNAMESE_SURNAMES = _w("""
Nguyễn:30 Trần:10 Lê:8 Phạm:7 Hoàng:4 Huỳnh:4 Phan:3 Vũ:3 Võ:3 Đặng:2 Bùi:2 Đỗ:2 Hồ:2
Ngô:2 Dương:2 Lý:1
""")
_VIETNAMESE_MIDDLE_MEN = _w("Văn:8 Đức:2 Minh:2 Quốc:1 Hữu:1 Thanh:1")
_VIETNAMESE_MIDDLE_WOMEN = _w("Thị:8 Ngọc:2 Thu:1 Thanh:1 Kim:1 Hồng:1")
_CHINESE_SYLLABLES = {
    "Xinyi": ("Xin", "yi"),
    "Jiahui": ("Jia", "hui"),
    "Yuting": ("Yu", "ting"),
    "Zihan": ("Zi", "han"),
    "Siyu": ("Si", "yu"),
    "Yiting": ("Yi", "ting"),
    "Xiaoyu": ("Xiao", "yu"),
    "Haoran": ("Hao", "ran"),
    "Yuxuan": ("Yu", "xuan"),
    "Junjie": ("Jun", "jie"),
    "Yichen": ("Yi", "chen"),
    "Zhiwei": ("Zhi", "wei"),
    "Tianyi": ("Tian", "yi"),
    "Jiahao": ("Jia", "hao"),
    "Wing Yan": ("Wing", "Yan"),
    "Hoi Yan": ("Hoi", "Yan"),
    "Ka Man": ("Ka", "Man"),
    "Ka Ho": ("Ka", "Ho"),
    "Chi Wing": ("Chi", "Wing"),
}

# Short forms and nicknames: formal -> informal ones an agency may record instead.
_NICKNAMES_TABLE = """
Thomas:Tom,Tommy William:Will,Bill,Billy Elizabeth:Liz,Lizzie,Beth,Libby,Betty
John:Jack,Johnny James:Jim,Jimmy,Jamie Robert:Rob,Bob,Bobby,Robbie Michael:Mike,Mikey,Mick
Christopher:Chris Daniel:Dan,Danny Matthew:Matt Joseph:Joe,Joey Samuel:Sam,Sammy
Benjamin:Ben,Benji Alexander:Alex,Xander Nicholas:Nick,Nicky Anthony:Tony,Ant
Jonathan:Jon,Jonny Richard:Rich,Richie,Dick Edward:Ed,Eddie,Ted Charles:Charlie
Henry:Harry,Hal Frederick:Fred,Freddie Theodore:Theo,Teddy Alfred:Alfie,Alf Archibald:Archie
Oliver:Ollie Joshua:Josh Jacob:Jake Zachary:Zach,Zak Harrison:Harry Nathan:Nate,Nat
Timothy:Tim Stephen:Steve Steven:Steve Peter:Pete Andrew:Andy,Drew David:Dave,Davey
Kenneth:Ken,Kenny Ronald:Ron,Ronnie Leonard:Len,Lenny Terence:Terry Lawrence:Larry,Laurie
Gerald:Gerry Sebastian:Seb Patrick:Pat,Paddy Francis:Frank Raymond:Ray Dominic:Dom
Callum:Cal Reginald:Reg,Reggie Albert:Bert,Albie Stanley:Stan Gareth:Gaz Daniela:Dani
Katherine:Kate,Kath,Katie Catherine:Cath,Cathy,Kate Eleanor:Ellie,Nell Margaret:Maggie,Peggy
Victoria:Vicky,Tori Jennifer:Jen,Jenny Rebecca:Becky,Becca Samantha:Sam,Sammy Jessica:Jess
Abigail:Abbie,Abi,Abby Isabella:Bella,Izzy Isabelle:Izzy Charlotte:Lottie,Charlie
Natalie:Nat Stephanie:Steph Christine:Chris,Chrissie Deborah:Debbie,Debs Patricia:Pat,Trish
Susan:Sue,Susie Amanda:Mandy Alexandra:Alex,Lexi Olivia:Liv,Livvy Sophie:Soph Amelia:Millie
Matilda:Tilly Florence:Flo Penelope:Penny Josephine:Jo,Josie Joanne:Jo Harriet:Hattie
Georgia:Georgie Kimberley:Kim Nicola:Nicky Jacqueline:Jackie Danielle:Dani Evelyn:Evie
Emily:Em Theresa:Tess Valerie:Val Madison:Maddie Jasmine:Jas Bethany:Beth Leanne:Lea
Oluwaseun:Seun Oluwadamilare:Dami Chukwuemeka:Emeka Oluwatobiloba:Tobi Olufunmilayo:Funmi
Funmilayo:Funmi Chiamaka:Amaka Oluwafemi:Femi Adebayo:Bayo Oluwatoyin:Toyin Temitope:Tope
Chinonso:Nonso Babatunde:Tunde Ayodeji:Ayo Oluwaseyi:Seyi Aleksandra:Ola Małgorzata:Gosia
Katarzyna:Kasia Wojciech:Wojtek Jakub:Kuba Zuzanna:Zuzia Agnieszka:Aga Oleksandr:Sasha
Anastasia:Nastya Yevhen:Zhenya Kateryna:Katya Dmytro:Dima Mohammed:Mo Muhammad:Mo
Abdullah:Abdul Abdul_Rahman:Abdul Ibrahim:Ibby Mustafa:Mus Gurpreet:Preet Harpreet:Harry
"""


def _nickname_map(table: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for token in table.split():
        formal, _, short = token.partition(":")
        out[formal.replace("_", " ")] = tuple(short.split(","))
    return out


_NICKNAMES = _nickname_map(_NICKNAMES_TABLE)

# Spellings of the same name from another script or custom, grouped by who uses them.
_MUSLIM = ("pakistani", "bangladeshi", "arab", "afghan", "somali")
_SLAVIC = ("ukrainian", "bulgarian")
_VARIANT_GROUPS: tuple[tuple[tuple[str, ...], str], ...] = (
    (_MUSLIM, "Muhammad/Mohammed/Mohamed/Mohammad/Muhammed/Mohamad"),
    (_MUSLIM, "Ahmed/Ahmad/Ahmet"),
    (_MUSLIM, "Abdul_Rahman/Abdulrahman/Abdur_Rahman/Abdurrahman/Abdul-Rahman"),
    (_MUSLIM, "Abdullah/Abdulla/Abdallah"),
    (_MUSLIM, "Yusuf/Yousef/Youssef/Yousuf/Yusef"),
    (_MUSLIM, "Ibrahim/Ebrahim/Ibraheem"),
    (_MUSLIM, "Mustafa/Mostafa/Moustafa/Mustapha"),
    (_MUSLIM, "Hussain/Hussein/Husain/Hossain/Husein"),
    (_MUSLIM, "Hassan/Hasan"),
    (_MUSLIM, "Fatima/Fatimah/Fatema/Fathima"),
    (_MUSLIM, "Aisha/Ayesha/Aysha/Aishah"),
    (_MUSLIM, "Maryam/Mariam/Meryem/Mariyam"),
    (_MUSLIM, "Khadija/Khadijah/Khadeeja"),
    (_MUSLIM, "Omar/Umar/Omer"),
    (_MUSLIM, "Usman/Osman/Othman/Uthman"),
    (_MUSLIM, "Hamza/Hamzah"),
    (_MUSLIM, "Zainab/Zaynab/Zeinab"),
    (_MUSLIM, "Amina/Aminah/Ameena"),
    (_MUSLIM, "Khalid/Khaled"),
    (_MUSLIM, "Yahya/Yahia"),
    (_MUSLIM, "Zakariya/Zakaria/Zakariyya/Zakariah"),
    (_MUSLIM, "Rahman/Rehman/Rahmaan"),
    (_MUSLIM, "Mahmood/Mahmud/Mehmood/Mahmoud"),
    (_MUSLIM, "Chaudhry/Choudhury/Chowdhury/Chaudhary/Choudhry"),
    (_MUSLIM, "Qureshi/Quraishi/Kureshi"),
    (_MUSLIM, "Siddiqui/Siddiqi/Siddique"),
    (_MUSLIM, "Yousaf/Yousuf/Yusuf"),
    (_MUSLIM, "Uddin/Udin/Uddeen"),
    (_MUSLIM, "Hoque/Haque/Huq"),
    (_MUSLIM, "Begum/Begom/Bagum"),
    (_MUSLIM, "Akter/Akhtar/Akhter"),
    (_MUSLIM, "Miah/Mia/Meah"),
    (_MUSLIM, "Noor/Nour/Nur"),
    (_MUSLIM, "Layla/Leila/Laila/Leyla"),
    (_MUSLIM, "Saleh/Salih/Saleh"),
    (_MUSLIM, "Suleiman/Sulaiman/Suleyman/Sulayman"),
    (_MUSLIM, "Mansour/Mansoor/Mansur"),
    (_MUSLIM, "Kareem/Karim"),
    (_MUSLIM, "Qasim/Kasim/Qassim"),
    (_MUSLIM, "Sayed/Syed/Said/Sayyid"),
    (_MUSLIM, "Abbas/Abas"),
    (_MUSLIM, "Mohammadi/Mohammady/Muhammadi"),
    (_MUSLIM, "Hussaini/Husseini/Hosseini"),
    (_MUSLIM, "Noori/Nouri/Nuri"),
    (_MUSLIM, "Zahra/Zehra/Zahraa"),
    (("somali",), "Mohamed/Mohammed/Maxamed/Mohamad"),
    (("somali",), "Abdi/Cabdi"),
    (("somali",), "Ali/Cali"),
    (("somali",), "Ahmed/Axmed/Ahmad"),
    (("somali",), "Hassan/Xasan/Hasan"),
    (("somali",), "Omar/Cumar"),
    (("somali",), "Abdullahi/Abdulahi/Cabdullahi"),
    (("somali",), "Abdirahman/Abdurahman/Cabdiraxmaan/Abdi_Rahman"),
    (("somali",), "Mohamud/Mahamud/Maxamuud/Mohamoud"),
    (("somali",), "Hussein/Xuseen/Hussain"),
    (("somali",), "Faduma/Fadumo/Fatuma"),
    (("somali",), "Hawa/Xawo/Hawo"),
    (("somali",), "Hodan/Hodon"),
    (("somali",), "Asha/Casha/Aasha"),
    (("somali",), "Maryan/Maryam/Mariam"),
    (("somali",), "Hirsi/Hersi/Xirsi"),
    (("somali",), "Jama/Jaamac"),
    (("somali",), "Warsame/Warsama"),
    (("somali",), "Aden/Adan/Aadan"),
    (("somali",), "Ismail/Ismaaciil/Ismael"),
    (("somali",), "Said/Saeed/Siciid"),
    (("somali",), "Farah/Faarax"),
    (("somali",), "Ayan/Ayaan"),
    (("somali",), "Sahra/Sahro/Zahra"),
    (("somali",), "Khadra/Khadro"),
    (("somali",), "Nimco/Nimo"),
    (("somali",), "Ubah/Ubax"),
    (("polish",), "Aleksandra/Alexandra"),
    (("polish",), "Aleksander/Alexander"),
    (("polish",), "Oliwia/Olivia"),
    (("polish",), "Wiktoria/Victoria"),
    (("polish",), "Zofia/Sofia"),
    (("polish",), "Oliwer/Oliver"),
    (("polish",), "Dawid/David"),
    (("polish",), "Patryk/Patrick"),
    (("polish",), "Krzysztof/Krzystof/Christopher"),
    (("polish",), "Jakub/Jacob"),
    (("polish",), "Kowalczyk/Kowalczuk"),
    (("romanian",), "Alexandru/Alexander/Aleksandru"),
    (("romanian",), "Gheorghe/Gheorge/George"),
    (("romanian",), "Andreea/Andrea"),
    (("romanian",), "Mihai/Mihail"),
    (("romanian",), "Nicolae/Nicolai"),
    (("romanian",), "Ecaterina/Ecatarina/Katerina"),
    (("romanian",), "Lăcătuș/Lacatus/Lakatos"),
    (("romanian",), "Căldăraru/Caldarar"),
    (("romanian",), "Ciobanu/Cioban"),
    (_SLAVIC, "Oleksandr/Olexandr/Aleksandr/Alexander/Oleksander"),
    (_SLAVIC, "Aleksandar/Alexandar/Alexander"),
    (_SLAVIC, "Aleksandra/Alexandra"),
    (_SLAVIC, "Dmytro/Dmitro/Dmitriy/Dmitry"),
    (_SLAVIC, "Andriy/Andrii/Andrei/Andrey"),
    (_SLAVIC, "Maksym/Maksim/Maxim"),
    (_SLAVIC, "Serhiy/Serhii/Sergey/Sergei"),
    (_SLAVIC, "Mykola/Nikolai/Mikola"),
    (_SLAVIC, "Nikolay/Nikolai/Nicolai"),
    (_SLAVIC, "Yevhen/Yevgen/Evgeniy/Ievgen"),
    (_SLAVIC, "Vladyslav/Vladislav"),
    (_SLAVIC, "Yuriy/Yurii/Yuri/Iurii"),
    (_SLAVIC, "Oleh/Oleg"),
    (_SLAVIC, "Ihor/Igor"),
    (_SLAVIC, "Vitaliy/Vitalii/Vitaly"),
    (_SLAVIC, "Danylo/Danilo/Daniil"),
    (_SLAVIC, "Matviy/Matvii/Matvey"),
    (_SLAVIC, "Hristo/Christo/Khristo"),
    (_SLAVIC, "Dimitar/Dimitur/Dimitr"),
    (_SLAVIC, "Georgi/Georgy/George"),
    (_SLAVIC, "Yordan/Jordan/Iordan"),
    (_SLAVIC, "Petar/Peter/Petur"),
    (_SLAVIC, "Olena/Elena/Olyena"),
    (_SLAVIC, "Yulia/Yuliia/Iuliia/Julia"),
    (_SLAVIC, "Kateryna/Katerina/Ekaterina"),
    (_SLAVIC, "Natalia/Nataliia/Natalya"),
    (_SLAVIC, "Tetiana/Tetyana/Tatiana/Tatyana"),
    (_SLAVIC, "Iryna/Irina"),
    (_SLAVIC, "Viktoria/Viktoriia/Victoria"),
    (_SLAVIC, "Sofiia/Sofia/Sofiya"),
    (_SLAVIC, "Mariia/Maria/Mariya"),
    (_SLAVIC, "Daria/Dariia/Darya"),
    (_SLAVIC, "Olha/Olga"),
    (_SLAVIC, "Svitlana/Svetlana"),
    (_SLAVIC, "Khrystyna/Christina/Krystyna"),
    (_SLAVIC, "Liudmyla/Lyudmila/Ludmila"),
    (_SLAVIC, "Anastasia/Anastasiia/Anastasiya"),
    (_SLAVIC, "Yoana/Joana/Ioana"),
    (_SLAVIC, "Melnyk/Melnik/Melnick"),
    (_SLAVIC, "Oliinyk/Oleinik/Oliynyk"),
    (_SLAVIC, "Boyko/Boiko"),
    (_SLAVIC, "Kovalchuk/Kowalczuk"),
    (_SLAVIC, "Hristov/Christov/Khristov"),
    (_SLAVIC, "Kuznetsov/Kuznetzov"),
    (_SLAVIC, "Kovalskyi/Kovalskyy/Kovalsky"),
    (("ghanaian",), "Kwaku/Kweku"),
    (("ghanaian",), "Kwabena/Kobina/Kwabina"),
    (("ghanaian",), "Kwadwo/Kojo/Kodwo"),
    (("ghanaian",), "Kwasi/Kwesi/Kwasie"),
    (("ghanaian",), "Kwame/Kwamena"),
    (("ghanaian",), "Yaw/Yao"),
    (("ghanaian",), "Adwoa/Adjoa/Adwowa"),
    (("ghanaian",), "Akua/Ekua/Akuah"),
    (("ghanaian",), "Afua/Efua/Afia"),
    (("ghanaian",), "Ama/Amma"),
    (("ghanaian",), "Agyeman/Agyemang"),
    (("ghanaian",), "Adjei/Agyei"),
    (("ghanaian",), "Tetteh/Teteh"),
    (("nigerian",), "Ezeh/Eze"),
    (("nigerian",), "Oluwaseun/Oluseun"),
    (("nigerian",), "Olufunmilayo/Funmilayo"),
    (("sikh",), "Gurpreet/Gurpret"),
    (("sikh",), "Jaswinder/Jasvinder"),
    (("sikh",), "Kulwinder/Kulvinder"),
    (("sikh",), "Balwinder/Balvinder"),
    (("sikh",), "Harvinder/Harwinder"),
    (("sikh",), "Dhaliwal/Dhalliwal"),
    (("chinese",), "Li/Lee"),
    (("chinese",), "Zhou/Chow"),
    (("vietnamese",), "Nguyễn/Nguyen/Nguyên/Ngyuen"),
    (("vietnamese",), "Huỳnh/Huynh/Hoang"),
    (("vietnamese",), "Võ/Vo/Vu"),
)


def _variant_map() -> dict[str, dict[str, tuple[str, ...]]]:
    """background -> name -> other spellings of that name used by that background."""
    out: dict[str, dict[str, set[str]]] = {}
    for backgrounds, group in _VARIANT_GROUPS:
        names = [n.replace("_", " ") for n in group.split("/")]
        for background in backgrounds:
            table = out.setdefault(background, {})
            for name in names:
                table.setdefault(name, set()).update(n for n in names if n != name)
    return {bg: {n: tuple(sorted(v)) for n, v in t.items()} for bg, t in out.items()}


_VARIANTS = _variant_map()

# Names in their own script, for the few records kept that way.
_SCRIPT_ARABIC = {
    "Muhammad": "محمد",
    "Mohammed": "محمد",
    "Mohamed": "محمد",
    "Mohammad": "محمد",
    "Ahmed": "أحمد",
    "Ahmad": "أحمد",
    "Ali": "علي",
    "Omar": "عمر",
    "Yousef": "يوسف",
    "Youssef": "يوسف",
    "Khaled": "خالد",
    "Khalid": "خالد",
    "Hassan": "حسن",
    "Hussein": "حسين",
    "Ibrahim": "إبراهيم",
    "Abdullah": "عبدالله",
    "Abdul Rahman": "عبد الرحمن",
    "Abdulrahman": "عبد الرحمن",
    "Mustafa": "مصطفى",
    "Mahmoud": "محمود",
    "Hamza": "حمزة",
    "Adam": "آدم",
    "Karim": "كريم",
    "Kareem": "كريم",
    "Tariq": "طارق",
    "Samir": "سمير",
    "Sami": "سامي",
    "Zaid": "زيد",
    "Amir": "أمير",
    "Yahya": "يحيى",
    "Anas": "أنس",
    "Bilal": "بلال",
    "Faisal": "فيصل",
    "Rami": "رامي",
    "Jamal": "جمال",
    "Saleh": "صالح",
    "Fatima": "فاطمة",
    "Mariam": "مريم",
    "Maryam": "مريم",
    "Aya": "آية",
    "Noor": "نور",
    "Nour": "نور",
    "Layla": "ليلى",
    "Leila": "ليلى",
    "Sara": "سارة",
    "Sarah": "سارة",
    "Hala": "هالة",
    "Rania": "رانيا",
    "Yasmin": "ياسمين",
    "Amira": "أميرة",
    "Huda": "هدى",
    "Zainab": "زينب",
    "Aisha": "عائشة",
    "Hiba": "هبة",
    "Lina": "لينا",
    "Reem": "ريم",
    "Salma": "سلمى",
    "Khadija": "خديجة",
    "Amal": "أمل",
    "Haddad": "حداد",
    "Khalil": "خليل",
    "Mansour": "منصور",
    "Nasser": "ناصر",
    "Othman": "عثمان",
    "Suleiman": "سليمان",
    "Abbas": "عباس",
    "Darwish": "درويش",
    "Al-Najjar": "النجار",
    "Al-Sayed": "السيد",
    "Al-Ali": "العلي",
    "Al-Hassan": "الحسن",
    "Jaber": "جابر",
    "Hamdan": "حمدان",
    "Salem": "سالم",
    "Aziz": "عزيز",
    "Qasim": "قاسم",
    "Hamid": "حامد",
    "Ahmadi": "احمدی",
    "Mohammadi": "محمدی",
    "Rahimi": "رحیمی",
    "Karimi": "کریمی",
    "Hakimi": "حکیمی",
    "Noori": "نوری",
    "Amiri": "امیری",
    "Haidari": "حیدری",
    "Zahra": "زهرا",
    "Farhad": "فرهاد",
    "Omid": "امید",
}
_SCRIPT_UKRAINIAN = {
    "Oleksandr": "Олександр",
    "Dmytro": "Дмитро",
    "Andriy": "Андрій",
    "Maksym": "Максим",
    "Serhiy": "Сергій",
    "Mykola": "Микола",
    "Ivan": "Іван",
    "Yevhen": "Євген",
    "Vladyslav": "Владислав",
    "Artem": "Артем",
    "Bohdan": "Богдан",
    "Denys": "Денис",
    "Yuriy": "Юрій",
    "Taras": "Тарас",
    "Volodymyr": "Володимир",
    "Oleh": "Олег",
    "Vitaliy": "Віталій",
    "Roman": "Роман",
    "Danylo": "Данило",
    "Ihor": "Ігор",
    "Olena": "Олена",
    "Anastasia": "Анастасія",
    "Yulia": "Юлія",
    "Kateryna": "Катерина",
    "Natalia": "Наталія",
    "Tetiana": "Тетяна",
    "Oksana": "Оксана",
    "Iryna": "Ірина",
    "Viktoria": "Вікторія",
    "Sofiia": "Софія",
    "Anna": "Анна",
    "Daria": "Дарія",
    "Mariia": "Марія",
    "Alina": "Аліна",
    "Svitlana": "Світлана",
    "Olha": "Ольга",
    "Polina": "Поліна",
    "Shevchenko": "Шевченко",
    "Kovalenko": "Коваленко",
    "Bondarenko": "Бондаренко",
    "Tkachenko": "Ткаченко",
    "Kravchenko": "Кравченко",
    "Melnyk": "Мельник",
    "Boyko": "Бойко",
    "Koval": "Коваль",
    "Oliinyk": "Олійник",
    "Shevchuk": "Шевчук",
    "Polishchuk": "Поліщук",
    "Lysenko": "Лисенко",
    "Marchenko": "Марченко",
    "Savchenko": "Савченко",
    "Rudenko": "Руденко",
    "Moroz": "Мороз",
    "Kovalchuk": "Ковальчук",
    "Petrenko": "Петренко",
    "Ivanov": "Іванов",
    "Popov": "Попов",
    "Kuznetsov": "Кузнецов",
}
_SCRIPT_BULGARIAN = {
    "Georgi": "Георги",
    "Ivan": "Иван",
    "Dimitar": "Димитър",
    "Nikolay": "Николай",
    "Aleksandar": "Александър",
    "Hristo": "Христо",
    "Stefan": "Стефан",
    "Petar": "Петър",
    "Maria": "Мария",
    "Ivana": "Ивана",
    "Elena": "Елена",
    "Desislava": "Десислава",
    "Gergana": "Гергана",
    "Teodora": "Теодора",
    "Ivanov": "Иванов",
    "Georgiev": "Георгиев",
    "Dimitrov": "Димитров",
    "Petrov": "Петров",
    "Nikolov": "Николов",
    "Hristov": "Христов",
    "Stoyanov": "Стоянов",
    "Todorov": "Тодоров",
}
_SCRIPT_CHINESE = {
    "Wang": "王",
    "Li": "李",
    "Zhang": "张",
    "Liu": "刘",
    "Chen": "陈",
    "Yang": "杨",
    "Huang": "黄",
    "Zhao": "赵",
    "Wu": "吴",
    "Zhou": "周",
    "Xu": "徐",
    "Sun": "孙",
    "Ma": "马",
    "Zhu": "朱",
    "Hu": "胡",
    "Guo": "郭",
    "Lin": "林",
    "He": "何",
    "Gao": "高",
    "Luo": "罗",
    "Chan": "陳",
    "Wong": "黃",
    "Lee": "李",
    "Cheung": "張",
    "Lau": "劉",
    "Leung": "梁",
    "Ng": "吳",
    "Lam": "林",
    "Ho": "何",
    "Yeung": "楊",
    "Tang": "鄧",
    "Chow": "周",
    "Tsang": "曾",
    "Chiu": "趙",
    "Kwok": "郭",
    "Yip": "葉",
    "Fung": "馮",
    "Mak": "麥",
    "Poon": "潘",
    "Hao": "浩",
    "Haoran": "浩然",
    "Yuxuan": "宇轩",
    "Zihan": "子涵",
    "Junjie": "俊杰",
    "Wei": "伟",
    "Jian": "建",
    "Ming": "明",
    "Jun": "军",
    "Yichen": "奕辰",
    "Zhiwei": "志伟",
    "Tianyi": "天翼",
    "Jiahao": "家豪",
    "Xinyi": "欣怡",
    "Yuting": "雨婷",
    "Jiahui": "佳慧",
    "Siyu": "思雨",
    "Yiting": "怡婷",
    "Xiaoyu": "晓雨",
    "Mei": "美",
    "Ling": "玲",
    "Jing": "静",
    "Hui": "慧",
    "Yan": "燕",
    "Wing Yan": "詠欣",
    "Hoi Yan": "凱欣",
    "Ka Man": "嘉敏",
    "Ka Ho": "家豪",
    "Chi Wing": "志榮",
}
_SCRIPTS = {
    "arabic": _SCRIPT_ARABIC,
    "ukrainian": _SCRIPT_UKRAINIAN,
    "bulgarian": _SCRIPT_BULGARIAN,
    "chinese": _SCRIPT_CHINESE,
}

# Twins given near names: (name, sex, name, sex).
_TWIN_NAMES_WESTERN = (
    ("Jayden", "male", "Jaden", "male"),
    ("Ellie", "female", "Millie", "female"),
    ("Harry", "male", "Harvey", "male"),
    ("Amelia", "female", "Amelie", "female"),
    ("Isla", "female", "Ella", "female"),
    ("Lily", "female", "Lola", "female"),
    ("Leo", "male", "Theo", "male"),
    ("Mia", "female", "Maya", "female"),
    ("Ava", "female", "Eva", "female"),
    ("Jack", "male", "Jake", "male"),
    ("Aiden", "male", "Jayden", "male"),
    ("Ruby", "female", "Rosie", "female"),
    ("Oliver", "male", "Olivia", "female"),
    ("Tyler", "male", "Taylor", "female"),
    ("Evie", "female", "Ellie", "female"),
    ("Maisie", "female", "Daisy", "female"),
    ("Poppy", "female", "Polly", "female"),
    ("Alfie", "male", "Archie", "male"),
    ("Mason", "male", "Jason", "male"),
    ("Lacey", "female", "Gracie", "female"),
)
_TWIN_NAMES_MUSLIM = (
    ("Hassan", "male", "Hussain", "male"),
    ("Hasan", "male", "Husain", "male"),
    ("Amina", "female", "Amira", "female"),
    ("Zara", "female", "Zainab", "female"),
    ("Ayaan", "male", "Rayyan", "male"),
    ("Zayan", "male", "Rayan", "male"),
    ("Inaya", "female", "Anaya", "female"),
    ("Ali", "male", "Aliyan", "male"),
    ("Ibrahim", "male", "Ismail", "male"),
)


# --------------------------------------------------------------------------------------------
# Backgrounds: name lists plus naming customs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Background:
    key: str
    weight: float  # share of households before the local authority's mix is applied
    girls: _Weighted
    boys: _Weighted
    surnames: _Weighted
    women: _Weighted | None = None  # adults' names when they differ from children's
    men: _Weighted | None = None
    elder_women: _Weighted | None = None
    elder_men: _Weighted | None = None
    wife_surnames: _Weighted | None = None  # women's own surnames (Begum, Bibi)
    gendered: str = ""  # how a woman's surname is formed: polish, czsk, slavic, lithuanian
    patronymic: str = ""  # somali, slavic (middle from father), father (father's given)
    married_name: float = 1.0  # scales PopulationConfig.married_name_rate
    middle: float = 0.0  # share with a middle name
    recent: float = 1.0  # scales PopulationConfig.recent_arrival_rate
    uk_names: float = 0.0  # UK-born children given a name from the British list
    script: str = ""
    east_asian: bool = False


_BACKGROUNDS = (
    _Background(
        "british",
        0.6,
        _BRITISH_GIRLS,
        _BRITISH_BOYS,
        _BRITISH_SURNAMES,
        _BRITISH_WOMEN,
        _BRITISH_MEN,
        _BRITISH_ELDER_WOMEN,
        _BRITISH_ELDER_MEN,
        middle=0.7,
        recent=0.0,
    ),
    _Background("irish", 0.02, _IRISH_GIRLS, _IRISH_BOYS, _IRISH_SURNAMES, middle=0.6, recent=0),
    _Background(
        "pakistani",
        0.06,
        _PAKISTANI_GIRLS,
        _PAKISTANI_BOYS,
        _PAKISTANI_SURNAMES,
        wife_surnames=_PAKISTANI_WIFE_SURNAMES,
        married_name=0.6,
        middle=0.15,
        recent=0.4,
    ),
    _Background(
        "bangladeshi",
        0.025,
        _BANGLADESHI_GIRLS,
        _BANGLADESHI_BOYS,
        _BANGLADESHI_SURNAMES,
        wife_surnames=_BANGLADESHI_WIFE_SURNAMES,
        married_name=0.3,
        middle=0.1,
        recent=0.4,
    ),
    _Background(
        "indian",
        0.025,
        _INDIAN_GIRLS,
        _INDIAN_BOYS,
        _INDIAN_SURNAMES,
        patronymic="father",
        married_name=1.6,
        recent=0.5,
        uk_names=0.1,
    ),
    _Background(
        "sikh", 0.012, _SIKH_GIRLS, _SIKH_BOYS, _SIKH_SURNAMES, married_name=1.4, recent=0.3
    ),
    _Background(
        "arab",
        0.025,
        _ARAB_GIRLS,
        _ARAB_BOYS,
        _ARAB_SURNAMES,
        patronymic="father",
        married_name=0.0,
        recent=1.8,
        script="arabic",
    ),
    _Background(
        "afghan",
        0.01,
        _AFGHAN_GIRLS,
        _AFGHAN_BOYS,
        _AFGHAN_SURNAMES,
        married_name=0.2,
        recent=2.5,
        script="arabic",
    ),
    _Background(
        "somali",
        0.015,
        _SOMALI_GIRLS,
        _SOMALI_BOYS,
        _SOMALI_SURNAMES,
        patronymic="somali",
        married_name=0.0,
        recent=1.0,
    ),
    _Background(
        "polish",
        0.04,
        _POLISH_GIRLS,
        _POLISH_BOYS,
        _POLISH_SURNAMES,
        gendered="polish",
        married_name=1.8,
        middle=0.35,
        recent=0.8,
        uk_names=0.2,
    ),
    _Background(
        "romanian",
        0.03,
        _ROMANIAN_GIRLS,
        _ROMANIAN_BOYS,
        _ROMANIAN_SURNAMES,
        married_name=1.6,
        middle=0.2,
        recent=1.3,
        uk_names=0.15,
    ),
    _Background(
        "ukrainian",
        0.01,
        _UKRAINIAN_GIRLS,
        _UKRAINIAN_BOYS,
        _UKRAINIAN_SURNAMES,
        gendered="slavic",
        patronymic="slavic",
        married_name=1.8,
        recent=3.0,
        script="ukrainian",
    ),
    _Background(
        "lithuanian",
        0.01,
        _LITHUANIAN_GIRLS,
        _LITHUANIAN_BOYS,
        _LITHUANIAN_SURNAMES,
        gendered="lithuanian",
        married_name=1.8,
        middle=0.1,
        recent=0.8,
        uk_names=0.2,
    ),
    _Background(
        "czsk",
        0.01,
        _CZSK_GIRLS,
        _CZSK_BOYS,
        _CZSK_SURNAMES,
        gendered="czsk",
        married_name=1.6,
        recent=0.8,
        uk_names=0.15,
    ),
    _Background(
        "bulgarian",
        0.008,
        _BULGARIAN_GIRLS,
        _BULGARIAN_BOYS,
        _BULGARIAN_SURNAMES,
        gendered="slavic",
        married_name=1.6,
        recent=1.2,
        script="bulgarian",
    ),
    _Background(
        "nigerian",
        0.025,
        _NIGERIAN_GIRLS,
        _NIGERIAN_BOYS,
        _NIGERIAN_SURNAMES,
        married_name=1.5,
        middle=0.6,
        recent=1.0,
    ),
    _Background(
        "ghanaian",
        0.012,
        _GHANAIAN_GIRLS,
        _GHANAIAN_BOYS,
        _GHANAIAN_SURNAMES,
        married_name=1.2,
        recent=0.7,
    ),
    _Background(
        "chinese",
        0.012,
        _CHINESE_GIRLS,
        _CHINESE_BOYS,
        _CHINESE_SURNAMES,
        married_name=0.1,
        recent=1.3,
        uk_names=0.5,
        script="chinese",
        east_asian=True,
    ),
    _Background(
        "vietnamese",
        0.008,
        _VIETNAMESE_GIRLS,
        _VIETNAMESE_BOYS,
        _VIETNAMESE_SURNAMES,
        married_name=0.0,
        recent=1.0,
        uk_names=0.4,
        east_asian=True,
    ),
)
_BACKGROUND = {b.key: b for b in _BACKGROUNDS}
_ASSIGNED_DOB_BACKGROUNDS = frozenset({"afghan", "somali", "arab"})


# --------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _LocalAuthority:
    code: str  # ONS code
    name: str
    dfe: str  # DfE LA number, the first three digits of a UPN issued there
    area: str  # postcode area letters
    districts: tuple[int, ...]
    weight: float  # population, millions
    mix: tuple[tuple[str, float], ...]  # background multipliers


LOCAL_AUTHORITIES = (
    _LocalAuthority(
        "E08000025",
        "Birmingham",
        "330",
        "B",
        tuple(range(1, 49)),
        1.14,
        (("pakistani", 3), ("bangladeshi", 1.5), ("arab", 1.5), ("romanian", 1.5), ("somali", 1.5)),
    ),
    _LocalAuthority(
        "E08000003",
        "Manchester",
        "352",
        "M",
        (*range(1, 24), 40),
        0.57,
        (("pakistani", 2), ("nigerian", 2), ("arab", 1.5), ("chinese", 2), ("somali", 1.5)),
    ),
    _LocalAuthority(
        "E08000035",
        "Leeds",
        "383",
        "LS",
        tuple(range(1, 30)),
        0.81,
        (("polish", 1.5), ("romanian", 1.5), ("nigerian", 1.2), ("czsk", 1.5)),
    ),
    _LocalAuthority(
        "E08000032",
        "Bradford",
        "380",
        "BD",
        tuple(range(1, 16)),
        0.55,
        (("pakistani", 5), ("bangladeshi", 1.5), ("czsk", 3), ("british", 0.8)),
    ),
    _LocalAuthority(
        "E09000030",
        "Tower Hamlets",
        "211",
        "E",
        (1, 2, 3, 14),
        0.31,
        (("bangladeshi", 14), ("british", 0.45), ("somali", 2), ("vietnamese", 2), ("chinese", 2)),
    ),
    _LocalAuthority(
        "E06000016",
        "Leicester",
        "856",
        "LE",
        (1, 2, 3, 4, 5),
        0.37,
        (("indian", 6), ("sikh", 3), ("somali", 2.5), ("polish", 1.5), ("british", 0.7)),
    ),
    _LocalAuthority(
        "E06000023",
        "Bristol",
        "801",
        "BS",
        tuple(range(1, 17)),
        0.47,
        (("somali", 4), ("polish", 1.3), ("british", 1.1)),
    ),
    _LocalAuthority(
        "E08000012",
        "Liverpool",
        "341",
        "L",
        tuple(range(1, 28)),
        0.49,
        (("british", 1.3), ("irish", 2), ("chinese", 2), ("arab", 1.5)),
    ),
    _LocalAuthority(
        "E06000032",
        "Luton",
        "821",
        "LU",
        (1, 2, 3, 4),
        0.22,
        (("pakistani", 4), ("bangladeshi", 3), ("romanian", 3), ("polish", 2), ("british", 0.6)),
    ),
    _LocalAuthority(
        "E08000019",
        "Sheffield",
        "373",
        "S",
        tuple(range(1, 15)),
        0.56,
        (("arab", 2), ("czsk", 3), ("somali", 1.5), ("chinese", 1.5)),
    ),
)
_LA = {la.code: la for la in LOCAL_AUTHORITIES}
_LA_CUM = tuple(itertools.accumulate(la.weight for la in LOCAL_AUTHORITIES))


def _background_table(la: _LocalAuthority) -> _Weighted:
    mix = dict(la.mix)
    weights = [b.weight * mix.get(b.key, 1.0) for b in _BACKGROUNDS]
    return tuple(b.key for b in _BACKGROUNDS), tuple(itertools.accumulate(weights))


_LA_BACKGROUNDS = {la.code: _background_table(la) for la in LOCAL_AUTHORITIES}

_STREET_NAMES = """
Mill Station Church Victoria Park Queen Albert Canal High Green Manor Kings New Grange School
North South West Chapel Windsor York Springfield Oak Elm Ash Beech Cedar Willow Meadow Highfield
Stanley George Alexandra Brook Hill Richmond Clarence Cromwell Nelson Wellington Derby Lime
Poplar Hawthorn Rose Orchard Market Bridge Dale Moor Heath Valley Cross Coronation Jubilee
St_Mary's St_John's Farm Mount Riverside Holly Ivy Cherry Sycamore Larch Rowan Peel Grosvenor
Lansdowne Tennyson Milton Shakespeare Dickens Byron Warwick Chester Lancaster Oxford Cambridge
"""
_STREETS = tuple(_STREET_NAMES.split())
_STREET_TYPES = (
    ("Road", 30, ("Rd", "Rd.")),
    ("Street", 25, ("St", "St.")),
    ("Lane", 8, ("Ln",)),
    ("Avenue", 8, ("Ave", "Av")),
    ("Close", 7, ("Cl",)),
    ("Drive", 6, ("Dr",)),
    ("Court", 4, ("Ct",)),
    ("Gardens", 4, ("Gdns",)),
    ("Terrace", 4, ("Terr", "Ter")),
    ("Crescent", 4, ("Cres",)),
    ("Place", 3, ("Pl",)),
    ("Grove", 3, ("Gr", "Gro")),
    ("Way", 4, ()),
    ("Walk", 2, ()),
    ("Mews", 1, ()),
    ("Rise", 1, ()),
)
_STREET_TYPE_CUM = tuple(itertools.accumulate(t[1] for t in _STREET_TYPES))
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class Address:
    """A made-up address: flat, number and street under a plausible postcode."""

    local_authority: str
    number: int
    flat: str
    street: str
    street_type: str
    town: str
    postcode: str

    @property
    def line(self) -> str:
        street = f"{self.number} {self.street} {self.street_type}"
        return f"Flat {self.flat}, {street}" if self.flat else street


@dataclass(frozen=True)
class _Street:
    name: str  # "Mill"
    street_type: str  # "Lane"
    postcodes: tuple[str, ...]  # a street spans one to three postcodes
    houses: int


_STREETS_PER_LA = 1500
_STREET_CACHE: dict[str, tuple[_Street, ...]] = {}


def _postcode(rng: random.Random, la: _LocalAuthority, district: int) -> str:
    inward = f"{rng.randint(0, 9)}{rng.choice(_POSTCODE_LETTERS)}{rng.choice(_POSTCODE_LETTERS)}"
    return f"{la.area}{district} {inward}"


def _streets(la_code: str) -> tuple[_Street, ...]:
    """A fixed made-up gazetteer per local authority, so unrelated families can be neighbours."""
    streets = _STREET_CACHE.get(la_code)
    if streets is None:
        la = _LA[la_code]
        rng = random.Random(f"streets:{la_code}")
        made: list[_Street] = []
        for _ in range(_STREETS_PER_LA):
            district = rng.choice(la.districts)
            street_type = rng.choices(_STREET_TYPES, cum_weights=_STREET_TYPE_CUM)[0][0]
            postcodes = tuple(_postcode(rng, la, district) for _ in range(rng.randint(1, 3)))
            name = rng.choice(_STREETS).replace("_", " ")
            made.append(_Street(name, street_type, postcodes, rng.choice((30, 60, 100, 150, 250))))
        streets = _STREET_CACHE[la_code] = tuple(made)
    return streets


def _new_address(rng: random.Random, la_code: str) -> Address:
    la = _LA[la_code]
    street = rng.choice(_streets(la_code))
    number = rng.randint(1, street.houses)
    flat = str(rng.randint(1, 24)) if rng.random() < 0.25 else ""
    block = (number - 1) * len(street.postcodes) // street.houses
    return Address(
        local_authority=la.code,
        number=number,
        flat=flat,
        street=street.name,
        street_type=street.street_type,
        town=la.name if la.code != "E09000030" else "London",
        postcode=street.postcodes[block],
    )


def _address_history(rng: random.Random, la_code: str, cfg: PopulationConfig) -> list[Address]:
    """Oldest address first; the last one is where the household lives now."""
    history = [_new_address(rng, la_code)]
    moves = 0
    if rng.random() < cfg.move_rate:
        moves = 2 if rng.random() < cfg.second_move_rate else 1
    for _ in range(moves):
        current = history[-1].local_authority
        if rng.random() < cfg.cross_la_move_rate:
            others = [la.code for la in LOCAL_AUTHORITIES if la.code != current]
            current = rng.choice(others)
        history.append(_new_address(rng, current))
    return history


# --------------------------------------------------------------------------------------------
# The truth: invented people and households
# --------------------------------------------------------------------------------------------


@dataclass
class TruePerson:
    """One invented person as they really are; records are what agencies made of them."""

    person_id: str
    household_id: str
    role: str  # child, unborn, carer, partner, visitor
    relation: str  # mother, father, stepfather, child, grandmother, grandfather, visitor
    sex: str
    given: str
    middle: tuple[str, ...]
    family: str
    background: str
    recent: bool
    dob: dt.date | None  # None for a child not yet born
    addresses: tuple[Address, ...] = ()
    dob_assigned: bool = False  # a 1 January date given on arrival, the true one unknown
    unborn: bool = False  # recorded by midwifery before birth
    nhs: str = ""
    upn: str = ""
    known_as: str = ""  # another given name the person goes by
    alt_families: tuple[tuple[str, str], ...] = ()  # (why, surname) they may be recorded under
    suffix: str = ""  # Jr for a son named after his father
    father_id: str = ""
    mother_id: str = ""
    birth_group: str = ""  # shared by twins and triplets


@dataclass
class TrueHousehold:
    household_id: str
    background: str
    recent: bool
    addresses: tuple[Address, ...]
    people: list[TruePerson] = field(default_factory=list)


class _State:
    """Counters that run across households: person ids, NHS numbers, UPNs issued."""

    _NHS_SPAN = 400_000_000
    _NHS_STEP = 193_877_317  # coprime with the span, so the sequence never repeats

    def __init__(self, seed: int) -> None:
        self.person = 0
        self.nhs_next = random.Random(f"nhs:{seed}").randrange(self._NHS_SPAN)
        self.upns: set[str] = set()

    def person_id(self) -> str:
        self.person += 1
        return f"p{self.person:06d}"

    def nhs_number(self) -> str:
        """The next of a scrambled sequence of 9-digit bodies, with its modulus-11 check digit."""
        while True:
            self.nhs_next += 1
            body = 400_000_000 + (self.nhs_next * self._NHS_STEP) % self._NHS_SPAN
            total, rest = 0, body
            for weight in range(2, 11):  # units digit weighs 2, the leading digit 10
                rest, digit = divmod(rest, 10)
                total += weight * digit
            check = (11 - total % 11) % 11
            if check != 10:  # no valid number has this body
                return f"{body}{check}"


def _age(dob: dt.date | None, on: dt.date) -> float:
    return (on - dob).days / 365.25 if dob else -1.0


def _years_before(when: dt.date, years: float) -> dt.date:
    return when - dt.timedelta(days=round(years * 365.25))


def _given_table(bg: _Background, sex: str, born: int) -> _Weighted:
    if born >= 2006:
        return bg.boys if sex == "male" else bg.girls
    if born >= 1972:
        table = bg.men if sex == "male" else bg.women
    else:
        table = bg.elder_men if sex == "male" else bg.elder_women
        table = table or (bg.men if sex == "male" else bg.women)
    return table or (bg.boys if sex == "male" else bg.girls)


def _given_name(rng: random.Random, bg: _Background, sex: str, born: int, uk_born: bool) -> str:
    if uk_born and bg.uk_names and rng.random() < bg.uk_names:
        bg = _BACKGROUND["british"]
    return _draw(rng, _given_table(bg, sex, born))


def _feminine(surname: str, rule: str, married: bool) -> str:
    """The form of a family surname a woman or girl carries under her background's custom."""
    if rule == "polish":
        for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
            if surname.endswith(male):
                return surname[: -len(male)] + female
        return surname
    if rule == "slavic":
        if surname.endswith("skyi"):
            return surname[:-4] + "ska"
        return surname + "a" if surname.endswith(("ov", "ev", "in")) else surname
    if rule == "czsk":
        if surname.endswith("ý"):
            return surname[:-1] + "á"
        return (surname[:-1] if surname.endswith(("a", "o", "e")) else surname) + "ová"
    if rule == "lithuanian":
        return _lithuanian_feminine(surname, married)
    return surname


def _lithuanian_feminine(surname: str, married: bool) -> str:
    if married:
        for end in ("ius", "as", "us", "is", "ys", "a"):
            if surname.endswith(end):
                return surname[: -len(end)] + "ienė"
        return surname
    for end, girl in (("ius", "iūtė"), ("as", "aitė"), ("us", "utė"), ("is", "ytė"), ("a", "aitė")):
        if surname.endswith(end):
            return surname[: -len(end)] + girl
    return surname


def _slavic_patronymic(father_given: str, sex: str) -> str:
    stem = father_given[:-1] if father_given.endswith(("o", "a")) else father_given
    return stem + ("ovych" if sex == "male" else "ivna")


@dataclass
class _Identity:
    given: str
    middle: tuple[str, ...]
    family: str  # the surname of the family line (masculine form where gendered)
    known_as: str = ""


def _identity(
    rng: random.Random, bg: _Background, sex: str, dob: dt.date, uk_born: bool, surname: str = ""
) -> _Identity:
    """Given and middle names by the background's custom; surname drawn unless supplied."""
    given = _given_name(rng, bg, sex, dob.year, uk_born)
    family = surname or _draw(rng, bg.surnames)
    middle: tuple[str, ...] = ()
    known_as = ""
    if bg.middle and rng.random() < bg.middle:
        count = 2 if bg.key == "british" and rng.random() < 0.1 else 1
        for _ in range(count):
            name = _middle_name(rng, bg, sex, dob.year, uk_born)
            if name != given and name not in middle:
                middle += (name,)
    if bg.key in ("pakistani", "bangladeshi", "arab") and sex == "male" and rng.random() < 0.2:
        # Muhammad first, then the name he is called by.
        middle, known_as = (given,), given
        given = rng.choice(("Muhammad", "Mohammed", "Mohammad"))
    elif bg.key == "sikh":
        middle = ("Singh",) if sex == "male" else ("Kaur",)
    elif bg.key == "vietnamese" and given in bg.girls[0] + bg.boys[0]:
        table = _VIETNAMESE_MIDDLE_MEN if sex == "male" else _VIETNAMESE_MIDDLE_WOMEN
        middle = (_draw(rng, table),)
    elif bg.key == "ghanaian":
        given, middle, known_as = _akan_names(rng, given, sex, dob)
    elif bg.key == "chinese" and given in bg.girls[0] + bg.boys[0] and rng.random() < 0.35:
        known_as = _draw(rng, _ENGLISH_NAMES_MEN if sex == "male" else _ENGLISH_NAMES_WOMEN)
    elif bg.key == "nigerian" and middle and rng.random() < 0.3:
        known_as = middle[0]
    return _Identity(given, middle, family, known_as)


def _middle_name(rng: random.Random, bg: _Background, sex: str, born: int, uk_born: bool) -> str:
    if bg.key == "british" and born >= 1985:
        return _draw(rng, _BRITISH_MIDDLE_BOYS if sex == "male" else _BRITISH_MIDDLE_GIRLS)
    if bg.key == "nigerian":
        other = _NIGERIAN_BOYS if sex == "male" else _NIGERIAN_GIRLS
        return _draw(rng, other)
    return _given_name(rng, bg, sex, born, uk_born)


def _akan_names(
    rng: random.Random, given: str, sex: str, dob: dt.date
) -> tuple[str, tuple[str, ...], str]:
    day_name = _AKAN_DAY_NAMES[dob.weekday()][0 if sex == "male" else 1]
    roll = rng.random()
    if roll < 0.5:
        return given, (day_name,), day_name if rng.random() < 0.4 else ""
    if roll < 0.75:
        return day_name, (given,), given if rng.random() < 0.4 else ""
    return given, (), ""


# --- the household --------------------------------------------------------------------------


def _sibling_gap_days(rng: random.Random, cfg: PopulationConfig) -> int:
    if rng.random() < cfg.close_sibling_rate:
        return rng.randint(300, 460)  # ten to fifteen months
    return int(rng.triangular(460, 3000, 900))


def _birth_dates(rng: random.Random, cfg: PopulationConfig) -> list[list[dt.date]]:
    """Children's birth dates, eldest first; twins and triplets share a birth."""
    ref = cfg.reference_date
    count = rng.choices(range(len(cfg.children_weights)), weights=cfg.children_weights)[0]
    if count == 0:
        return []
    youngest = ref - dt.timedelta(days=int(rng.triangular(20, 14 * 365, 2 * 365)))
    births = [youngest]
    for _ in range(count - 1):
        older = births[-1] - dt.timedelta(days=_sibling_gap_days(rng, cfg))
        if _age(older, ref) >= 17.9:
            break
        births.append(older)
    births.reverse()
    out: list[list[dt.date]] = []
    for born in births:
        roll = rng.random()
        size = 3 if roll < cfg.triplet_rate else 2 if roll < cfg.triplet_rate + cfg.twin_rate else 1
        out.append([born] * size)
    return out


def _mother_dob(rng: random.Random, births: list[list[dt.date]], ref: dt.date) -> dt.date:
    if not births:
        return _years_before(ref, rng.triangular(17, 46, 27))
    eldest, youngest = births[0][0], births[-1][0]
    dob = _years_before(eldest, rng.triangular(15.5, 40, 23))
    if _age(dob, youngest) > 45:
        dob = _years_before(youngest, rng.uniform(38, 45))
    return dob


def _father_dob(rng: random.Random, mother_dob: dt.date, births: list[list[dt.date]]) -> dt.date:
    """Usually a little older than the mother, and at least 16 at the eldest child's birth."""
    dob = _years_before(mother_dob, rng.triangular(-4, 15, 2))
    if births and _age(dob, births[0][0]) < 16:
        dob = _years_before(births[0][0], rng.uniform(16, 22))
    return dob


@dataclass
class _Builder:
    """Everything needed while one household's people are invented."""

    rng: random.Random
    cfg: PopulationConfig
    state: _State
    household: TrueHousehold
    bg: _Background

    def person(
        self,
        role: str,
        relation: str,
        sex: str,
        ident: _Identity,
        dob: dt.date | None,
        bg: _Background | None = None,
        family: str = "",
    ) -> TruePerson:
        bg = bg or self.bg
        person = TruePerson(
            person_id=self.state.person_id(),
            household_id=self.household.household_id,
            role=role,
            relation=relation,
            sex=sex,
            given=ident.given,
            middle=ident.middle,
            family=family or ident.family,
            background=bg.key,
            recent=self.household.recent,
            dob=dob,
            addresses=self.household.addresses,
            known_as=ident.known_as,
        )
        if ident.middle and not ident.known_as and self.rng.random() < self.cfg.goes_by_middle_rate:
            person.known_as = ident.middle[0]
        if ident.middle and ident.middle[0] in ("Kaur", "Singh"):
            person.alt_families += (("kaur_singh", ident.middle[0]),)
        if bg.patronymic == "somali" and ident.middle:
            person.alt_families += (("patronymic", ident.middle[0]),)
        self.household.people.append(person)
        return person

    def own_address(self, person: TruePerson, other_la_rate: float = 0.0) -> None:
        """The person lives elsewhere: usually in the same local authority."""
        la = self.household.addresses[-1].local_authority
        if self.rng.random() < other_la_rate:
            la = self.rng.choice(LOCAL_AUTHORITIES).code
        person.addresses = (_new_address(self.rng, la),)


def _pick_background(rng: random.Random, la_code: str) -> _Background:
    return _BACKGROUND[_draw(rng, _LA_BACKGROUNDS[la_code])]


def _partner_background(rng: random.Random, cfg: PopulationConfig, bg: _Background) -> _Background:
    if rng.random() < cfg.mixed_background_rate:
        if bg.key != "british":
            return _BACKGROUND["british"]
        return rng.choice(_BACKGROUNDS[1:])
    return bg


def _married_rate(cfg: PopulationConfig, bg: _Background) -> float:
    return min(1.0, cfg.married_name_rate * bg.married_name)


def _build_household(
    index: int, rng: random.Random, cfg: PopulationConfig, state: _State
) -> TrueHousehold:
    ref = cfg.reference_date
    la = LOCAL_AUTHORITIES[rng.choices(range(len(LOCAL_AUTHORITIES)), cum_weights=_LA_CUM)[0]]
    bg = _pick_background(rng, la.code)
    recent = rng.random() < min(0.95, cfg.recent_arrival_rate * bg.recent)
    household = TrueHousehold(
        household_id=f"h{index + 1:06d}",
        background=bg.key,
        recent=recent,
        addresses=tuple(_address_history(rng, la.code, cfg)),
    )
    build = _Builder(rng, cfg, state, household, bg)
    births = _birth_dates(rng, cfg)
    mother_dob = _mother_dob(rng, births, ref)
    father_dob = _father_dob(rng, mother_dob, births)
    father = _identity(rng, _partner_background(rng, cfg, bg), "male", father_dob, not recent)
    mother = _identity(rng, bg, "female", mother_dob, uk_born=not recent)
    if bg.patronymic == "somali":
        father.middle = (_draw(rng, bg.boys),)
        mother.middle = (_draw(rng, bg.boys),)

    single_father = rng.random() < cfg.single_father_rate
    has_partner = not single_father and rng.random() < cfg.partner_rate
    stepfather = has_partner and bool(births) and rng.random() < cfg.stepfather_rate
    mum: TruePerson | None = None
    dad: TruePerson | None = None
    step: TruePerson | None = None
    if single_father:
        dad = build.person("carer", "father", "male", father, father_dob)
    else:
        mum = _add_mother(build, mother, mother_dob, father, has_partner and not stepfather)
        if stepfather:
            step = _add_stepfather(build, mum, mother_dob)
        elif has_partner:
            dad = build.person("partner", "father", "male", father, father_dob)
            if rng.random() >= cfg.partner_resident_rate:
                build.own_address(dad)
    _add_children(build, births, mum, dad, step, father, mother)
    _add_unborn(build, births, mum, step or dad)
    _add_grandparent(build, mum or dad)
    _add_visitor(build)
    _assign_identifiers(build)
    return household


def _add_mother(
    build: _Builder, own: _Identity, dob: dt.date, father: _Identity, with_father: bool
) -> TruePerson:
    """The mother, under her birth name or (if married to the father) his surname."""
    rng, cfg, bg = build.rng, build.cfg, build.bg
    married_rate = _married_rate(cfg, bg) * (1.0 if with_father else 0.35)
    married = rng.random() < married_rate
    mum = build.person("carer", "mother", "female", own, dob)
    birth_name = _feminine(own.family, bg.gendered, married=False)
    if bg.wife_surnames and rng.random() < 0.5:
        birth_name = _draw(rng, bg.wife_surnames)
    line = own.family
    mum.family = birth_name
    if married:
        line = father.family
        mum.family = _feminine(father.family, bg.gendered, married=True)
        if mum.family != birth_name:
            mum.alt_families += (("maiden", birth_name),)
    if bg.gendered and mum.family != line:
        mum.alt_families += (("masculine", line),)
    return mum


def _add_stepfather(build: _Builder, mum: TruePerson, mother_dob: dt.date) -> TruePerson:
    """The mother's new partner; the older children's father lives elsewhere."""
    rng, cfg = build.rng, build.cfg
    step_bg = _partner_background(rng, cfg, build.bg)
    step_dob = _years_before(mother_dob, rng.triangular(-6, 15, 3))
    step_dob = min(step_dob, _years_before(build.cfg.reference_date, 18))
    ident = _identity(rng, step_bg, "male", step_dob, uk_born=not build.household.recent)
    step = build.person("partner", "stepfather", "male", ident, step_dob, bg=step_bg)
    if rng.random() >= cfg.partner_resident_rate:
        build.own_address(step)
    if rng.random() < _married_rate(cfg, build.bg) * 0.6:
        previous = mum.family
        mum.family = _feminine(step.family, build.bg.gendered, married=True)
        maiden = dict(mum.alt_families).get("maiden", previous)
        kept = tuple(alt for alt in mum.alt_families if alt[0] not in ("maiden", "masculine"))
        mum.alt_families = (*kept, ("maiden", maiden))
        if previous != maiden:
            mum.alt_families += (("previous_married", previous),)
        if build.bg.gendered and mum.family != step.family:
            mum.alt_families += (("masculine", step.family),)
    return step


def _add_children(
    build: _Builder,
    births: list[list[dt.date]],
    mum: TruePerson | None,
    dad: TruePerson | None,
    step: TruePerson | None,
    father: _Identity,
    mother: _Identity,
) -> None:
    rng = build.rng
    by_step = 0
    has_own = step is not None and rng.random() < build.cfg.stepfather_own_children_rate
    if has_own and len(births) > 1:
        by_step = min(len(births) - 1, rng.randint(1, 2))
    for index, group in enumerate(births):
        if step is not None and index >= len(births) - by_step:
            step_ident = _Identity(step.given, step.middle, step.family)
            _add_birth(build, group, index, mum, step, step_ident, mother)
        else:
            _add_birth(build, group, index, mum, dad, father, mother)
            if step is not None:
                for child in build.household.people[-len(group) :]:
                    child.alt_families += (("stepfather", step.family),)
    _same_names(build, dad, mum)


def _add_birth(
    build: _Builder,
    group: list[dt.date],
    index: int,
    mum: TruePerson | None,
    father_person: TruePerson | None,
    father: _Identity,
    mother: _Identity,
) -> None:
    """One birth: a single child, twins or triplets."""
    rng, cfg, bg = build.rng, build.cfg, build.bg
    names = _twin_names(rng, cfg, bg) if len(group) == 2 else None
    birth_group = f"{build.household.household_id}-b{index}" if len(group) > 1 else ""
    first: TruePerson | None = None
    for slot, dob in enumerate(group):
        sex = names[slot * 2 + 1] if names else ("male" if rng.random() < 0.512 else "female")
        if names:
            ident = _identity(rng, bg, sex, dob, uk_born=True)
            ident.given, ident.known_as = names[slot * 2], ""
        else:
            ident = _sibling_identity(build, sex, dob)
        child = build.person("child", "child", sex, ident, dob)
        child.birth_group = birth_group
        child.mother_id = mum.person_id if mum else ""
        child.father_id = father_person.person_id if father_person else ""
        if first is None:
            _child_surname(build, child, father, mother, mum, father_person)
            first = child
        else:
            _twin_surname(build, first, child)


def _called(person: TruePerson) -> str:
    return person.known_as or person.given


def _sibling_identity(build: _Builder, sex: str, dob: dt.date) -> _Identity:
    """A child's names, not the name a parent, brother or sister is already called by."""
    taken = {_called(p) for p in build.household.people}
    ident = _identity(build.rng, build.bg, sex, dob, uk_born=True)
    for _ in range(6):
        if (ident.known_as or ident.given) not in taken:
            break
        ident = _identity(build.rng, build.bg, sex, dob, uk_born=True)
    return ident


def _twin_surname(build: _Builder, first: TruePerson, child: TruePerson) -> None:
    """Twins and triplets carry one surname (in the form for each one's sex)."""
    bg = build.bg
    own = tuple(alt for alt in child.alt_families if alt[0] == "kaur_singh")
    shared = tuple(alt for alt in first.alt_families if alt[0] not in ("masculine", "kaur_singh"))
    child.alt_families = shared + own
    line = dict(first.alt_families).get("masculine", first.family)
    child.family = _feminine(line, bg.gendered, married=False) if child.sex == "female" else line
    if child.family != line:
        child.alt_families += (("masculine", line),)
    if bg.patronymic in ("somali", "slavic") and first.middle:
        if bg.patronymic == "slavic" and first.sex != child.sex:
            father_given = first.middle[0].removesuffix("ovych").removesuffix("ivna")
            child.middle = (father_given + ("ovych" if child.sex == "male" else "ivna"),)
        else:
            child.middle = first.middle


def _twin_names(
    rng: random.Random, cfg: PopulationConfig, bg: _Background
) -> tuple[str, str, str, str] | None:
    if rng.random() >= cfg.twin_similar_name_rate:
        return None
    if bg.key in ("british", "irish"):
        pair = rng.choice(_TWIN_NAMES_WESTERN)
    elif bg.key in ("pakistani", "bangladeshi", "arab", "somali", "afghan"):
        pair = rng.choice(_TWIN_NAMES_MUSLIM)
    else:
        return None
    return pair if rng.random() < 0.5 else (pair[2], pair[3], pair[0], pair[1])


_PARENTS_CHOOSE = frozenset({"british", "irish", "nigerian", "ghanaian", "romanian", "polish"})


def _child_surname(
    build: _Builder,
    child: TruePerson,
    father: _Identity,
    mother: _Identity,
    mum: TruePerson | None,
    father_person: TruePerson | None,
) -> None:
    """The child's surname by custom, and the other surnames agencies may use for them."""
    rng, cfg, bg = build.rng, build.cfg, build.bg
    mum_family = mum.family if mum else ""
    husband_name = _feminine(father.family, bg.gendered, married=True)
    married = mum is not None and husband_name in (
        mum.family,
        dict(mum.alt_families).get("previous_married"),
    )
    line = father.family
    if bg.patronymic == "somali":
        child.middle = (father.given,)
        line = father.middle[0] if father.middle else father.family
        child.alt_families += (("patronymic", father.given),)
    elif bg.key == "ghanaian" and rng.random() < 0.35:
        line = _draw(rng, bg.surnames)
    elif bg.key == "bangladeshi" and child.sex == "female" and rng.random() < 0.3:
        line = _draw(rng, bg.wife_surnames or bg.surnames)
    elif bg.key in _PARENTS_CHOOSE:
        line = _child_line(rng, cfg, father.family, mother.family, married)
    if bg.patronymic == "slavic" and rng.random() < 0.6:
        child.middle = (_slavic_patronymic(father.given, child.sex),)
    elif bg.patronymic == "father" and rng.random() < 0.4:
        child.middle = (father.given,)
    family = _feminine(line, bg.gendered, married=False) if child.sex == "female" else line
    if bg.gendered and family != line:
        child.alt_families += (("masculine", line),)
    child.family = family
    if mum_family and mum_family != family:
        child.alt_families += (("other_parent", mum_family),)
    elif father.family != line and father_person is not None:
        child.alt_families += (("other_parent", father.family),)


def _child_line(
    rng: random.Random, cfg: PopulationConfig, father_family: str, mother_family: str, married: bool
) -> str:
    """Father's, mother's or both surnames: married parents mostly pass on the father's."""
    roll = rng.random()
    double = cfg.double_barrelled_rate * (0.25 if married else 1.0)
    if (
        roll < double
        and father_family != mother_family
        and "-" not in father_family + mother_family
    ):
        first, second = (mother_family, father_family)
        if rng.random() < 0.4:
            first, second = second, first
        return f"{first}-{second}"
    if married:
        return father_family
    return mother_family if roll < double + 0.35 else father_family


def _same_names(build: _Builder, dad: TruePerson | None, mum: TruePerson | None) -> None:
    """A son named after his father (Jr), a daughter after her mother."""
    rng, cfg = build.rng, build.cfg
    children = [p for p in build.household.people if p.relation == "child"]
    if dad is not None and rng.random() < cfg.father_son_same_name_rate:
        sons = [c for c in children if c.sex == "male" and c.father_id == dad.person_id]
        if sons and not sons[0].birth_group:
            son = sons[0]
            son.given, son.known_as, son.family, son.suffix = dad.given, "", dad.family, "Jr"
            if dad.middle and rng.random() < 0.5:
                son.middle = dad.middle
    if mum is not None and rng.random() < cfg.mother_daughter_same_name_rate:
        daughters = [c for c in children if c.sex == "female" and not c.birth_group]
        if daughters:
            daughters[0].given, daughters[0].known_as = mum.given, ""


def _add_unborn(
    build: _Builder, births: list[list[dt.date]], mum: TruePerson | None, dad: TruePerson | None
) -> None:
    rng, cfg, ref = build.rng, build.cfg, build.cfg.reference_date
    if mum is None or mum.dob is None or _age(mum.dob, ref) > 44:
        return
    if births and _age(births[-1][0], ref) < 0.9:
        return
    if rng.random() >= cfg.unborn_rate:
        return
    born = rng.random() < cfg.unborn_born_rate
    dob = ref - dt.timedelta(days=rng.randint(3, 160)) if born else None
    sex = "male" if rng.random() < 0.512 else "female"
    ident = _sibling_identity(build, sex, dob or ref)
    baby = build.person("unborn", "child", sex, ident, dob)
    baby.unborn = True
    baby.mother_id = mum.person_id
    baby.father_id = dad.person_id if dad else ""
    if dad is not None:
        father = _Identity(
            dad.given, dad.middle, dict(dad.alt_families).get("masculine", dad.family)
        )
    else:
        father = _Identity(_draw(rng, build.bg.boys), (_draw(rng, build.bg.boys),), mum.family)
    mother = _Identity(mum.given, mum.middle, dict(mum.alt_families).get("maiden", mum.family))
    _child_surname(build, baby, father, mother, mum, dad)


_OWN_SURNAME_WOMEN = frozenset({"pakistani", "bangladeshi", "arab", "somali", "afghan", "chinese"})


def _add_grandparent(build: _Builder, parent: TruePerson | None) -> None:
    rng, cfg, bg = build.rng, build.cfg, build.bg
    if parent is None or parent.dob is None or rng.random() >= cfg.grandparent_rate:
        return
    sex = "female" if rng.random() < 0.7 else "male"
    dob = _years_before(parent.dob, rng.uniform(18, 32))
    alts = dict(parent.alt_families)
    line = alts.get("masculine", alts.get("maiden", parent.family))
    if bg.patronymic == "somali":
        line = parent.middle[0] if parent.middle else line
    ident = _identity(rng, bg, sex, dob, uk_born=not build.household.recent, surname=line)
    family = _feminine(line, bg.gendered, married=True) if sex == "female" else line
    if sex == "female" and bg.key in _OWN_SURNAME_WOMEN:
        family = _draw(rng, bg.wife_surnames or bg.surnames)
    relation = "grandmother" if sex == "female" else "grandfather"
    grandparent = build.person("carer", relation, sex, ident, dob, family=family)
    if rng.random() >= cfg.grandparent_resident_rate:
        build.own_address(grandparent)


def _add_visitor(build: _Builder) -> None:
    rng, cfg = build.rng, build.cfg
    if rng.random() >= cfg.visitor_rate:
        return
    local = _LA_BACKGROUNDS[build.household.addresses[-1].local_authority]
    bg = build.bg if rng.random() < 0.5 else _BACKGROUND[_draw(rng, local)]
    dob = _years_before(cfg.reference_date, rng.triangular(17, 58, 28))
    ident = _identity(rng, bg, "male", dob, uk_born=rng.random() < 0.8)
    visitor = build.person("visitor", "visitor", "male", ident, dob, bg=bg)
    visitor.recent = build.household.recent and bg.key == build.bg.key
    build.own_address(visitor, other_la_rate=0.2)


def _assign_identifiers(build: _Builder) -> None:
    """NHS numbers for everyone born; UPNs for children who have started school."""
    rng, cfg, ref = build.rng, build.cfg, build.cfg.reference_date
    for person in build.household.people:
        if person.dob is not None:
            person.nhs = build.state.nhs_number()
        if person.relation == "child" and person.dob and _age(person.dob, ref) >= 4.3:
            person.upn = _new_upn(rng, build.state, person, ref)
        if (
            person.recent
            and person.dob
            and person.background in _ASSIGNED_DOB_BACKGROUNDS
            and _age(person.dob, ref) >= 16
            and rng.random() < cfg.assigned_dob_rate
        ):
            person.dob = dt.date(person.dob.year + rng.choice((-1, 0, 0, 1)), 1, 1)
            person.dob_assigned = True


def _new_upn(rng: random.Random, state: _State, person: TruePerson, ref: dt.date) -> str:
    """Check letter, DfE LA number, school number, year of issue, serial: valid and unique."""
    assert person.dob is not None
    addresses = person.addresses
    first = addresses[0] if len(addresses) == 1 or rng.random() < 0.6 else addresses[-1]
    la = _LA[first.local_authority]
    start = dt.date(person.dob.year + 4 + (person.dob.month >= 9), 9, 1)
    year = min(start.year, ref.year) % 100
    while True:
        body = f"{la.dfe}{rng.randint(2000, 3999)}{year:02d}{rng.randint(0, 999):03d}"
        number = upn.calc_check_digit(body) + body
        if number not in state.upns:
            state.upns.add(number)
            return number


def iter_households(
    households: int, seed: int = 0, config: PopulationConfig | None = None
) -> Iterator[TrueHousehold]:
    """The true households and people behind `iter_population` (same seed, same config)."""
    cfg = config or PopulationConfig()
    rng = random.Random(f"truth:{seed}")
    state = _State(seed)
    for index in range(households):
        yield _build_household(index, rng, cfg, state)


# --------------------------------------------------------------------------------------------
# Agencies' records of the people
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Habits:
    """How an agency tends to record people (multipliers apply to PopulationConfig rates)."""

    prefix: str  # source reference: prefix + digits ('' for probation's CRN)
    digits: int
    middle_kept: float  # share of records that keep a middle name
    nickname: float
    known_as: float
    surname_upper: float  # SMITH
    all_upper: float  # JOHN SMITH
    diacritics: float
    dob_missing: float
    sex_missing: float
    postcode_missing: float


_HABITS = {
    "police": _Habits("POL-", 7, 0.55, 1.8, 1.4, 0.75, 0.1, 0.2, 1.5, 0.3, 1.5),
    "health_ae": _Habits("ED-", 8, 0.5, 0.7, 0.8, 0.2, 0.35, 0.5, 0.3, 0.5, 1.0),
    "gp": _Habits("GP-", 7, 0.85, 0.4, 0.5, 0.25, 0.05, 1.2, 0.2, 0.3, 0.5),
    "health_visitor": _Habits("HV-", 7, 0.8, 0.6, 1.0, 0.05, 0.0, 1.2, 0.3, 0.5, 0.5),
    "midwifery": _Habits("MAT-", 7, 0.8, 0.5, 0.8, 0.1, 0.1, 1.2, 0.3, 0.5, 0.5),
    "school": _Habits("SCH-", 7, 0.75, 1.0, 1.6, 0.0, 0.0, 1.5, 0.2, 0.3, 0.5),
    "childrens_social_care": _Habits("CSC-", 7, 0.7, 1.0, 1.2, 0.1, 0.0, 1.0, 1.0, 0.8, 0.8),
    "housing": _Habits("HSG-", 7, 0.35, 1.3, 1.0, 0.1, 0.2, 0.8, 2.0, 2.0, 0.3),
    "probation": _Habits("", 7, 0.7, 0.8, 0.8, 0.6, 0.4, 0.3, 0.3, 0.3, 1.2),
    "adult_mental_health": _Habits("AMH-", 7, 0.7, 0.8, 0.8, 0.2, 0.1, 1.0, 0.5, 0.5, 0.8),
    "substance_misuse": _Habits("SMS-", 7, 0.4, 1.8, 1.4, 0.1, 0.1, 0.6, 1.5, 1.0, 2.0),
}
_CRN_LETTERS = "ABCDEFGHJKLMNPRSTVWX"
_SCRAMBLE = 7_654_321  # coprime with every power of ten: a permutation of the counter


class _Refs:
    """Record ids and agency references: unique, and in no order that gives the truth away."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"refs:{seed}")
        self.record = 0
        self.record_offset = rng.randrange(10**7)
        self.counts = dict.fromkeys(AGENCIES, 0)
        self.offsets = {agency: rng.randrange(10**8) for agency in AGENCIES}
        self.formats = {a: f"{h.prefix}{{:0{h.digits}d}}" for a, h in _HABITS.items()}
        self.moduli = {a: 10**h.digits for a, h in _HABITS.items()}

    def record_id(self) -> str:
        n = self.record
        self.record += 1
        if n < 10**7:
            return f"r{(n * _SCRAMBLE + self.record_offset) % 10**7:07d}"
        return f"r{n + 10**7}"  # beyond ten million records: eight digits, still unique

    def source_ref(self, agency: str) -> str:
        n = self.counts[agency]
        self.counts[agency] = n + 1
        number = (n * _SCRAMBLE + self.offsets[agency]) % self.moduli[agency]
        if agency == "probation":  # case reference number: a letter and six digits
            return f"{_CRN_LETTERS[number // 10**6 % len(_CRN_LETTERS)]}{number % 10**6:06d}"
        return self.formats[agency].format(number)


# --- which agencies know a person ------------------------------------------------------------


def _agency_weights(
    person: TruePerson, household: TrueHousehold, ref: dt.date
) -> list[tuple[str, float]]:
    """(agency, probability) for agencies that plausibly hold a record of this person."""
    if person.unborn:
        weights = [("midwifery", 1.0), ("childrens_social_care", 0.3)]
        if person.dob is not None:
            weights += [("health_visitor", 0.85), ("gp", 0.6), ("health_ae", 0.2)]
        return weights
    age = _age(person.dob, ref)
    if person.relation == "child":
        weights = [("gp", 0.7), ("health_ae", 0.35), ("childrens_social_care", 0.55)]
        weights.append(("police", 0.25 if age >= 10 else 0.12))
        if age < 5:
            weights.append(("health_visitor", 0.75))
        if person.upn and age < 17:
            weights.append(("school", 0.9))
        if age >= 13:
            weights.append(("substance_misuse", 0.03))
        return weights
    if person.relation == "mother":
        return _mother_weights(household, ref)
    if person.relation in ("grandmother", "grandfather"):
        return [
            ("gp", 0.7),
            ("childrens_social_care", 0.3),
            ("housing", 0.2),
            ("health_ae", 0.2),
            ("police", 0.08),
            ("adult_mental_health", 0.05),
        ]
    if person.relation == "visitor":
        return [
            ("police", 0.85),
            ("probation", 0.35),
            ("gp", 0.1),
            ("substance_misuse", 0.12),
            ("health_ae", 0.1),
            ("childrens_social_care", 0.12),
            ("housing", 0.05),
        ]
    carer = person.role == "carer"  # a father caring alone is known as the children's carer
    return [
        ("gp", 0.5),
        ("police", 0.5),
        ("probation", 0.15),
        ("housing", 0.4 if carer else 0.25),
        ("substance_misuse", 0.12),
        ("adult_mental_health", 0.12),
        ("health_ae", 0.2),
        ("childrens_social_care", 0.45 if carer else 0.3),
    ]


def _mother_weights(household: TrueHousehold, ref: dt.date) -> list[tuple[str, float]]:
    weights = [
        ("gp", 0.75),
        ("police", 0.35),
        ("housing", 0.35),
        ("health_ae", 0.25),
        ("adult_mental_health", 0.2),
        ("substance_misuse", 0.1),
        ("childrens_social_care", 0.45),
        ("probation", 0.03),
    ]
    ages = [_age(p.dob, ref) for p in household.people if p.relation == "child"]
    pregnant = any(p.unborn for p in household.people)
    if pregnant or any(0 <= a < 1 for a in ages):
        weights.append(("midwifery", 0.85))
    if any(0 <= a < 5 for a in ages):
        weights.append(("health_visitor", 0.3))
    return weights


def _choose_agencies(
    person: TruePerson, household: TrueHousehold, rng: random.Random, cfg: PopulationConfig
) -> list[str]:
    """One to six agencies; the unborn are always known to midwifery."""
    weights = _agency_weights(person, household, cfg.reference_date)
    chosen = [agency for agency, p in weights if rng.random() < p]
    if person.unborn and "midwifery" not in chosen:
        chosen.insert(0, "midwifery")
    if not chosen:
        chosen = [rng.choices([a for a, _ in weights], weights=[p for _, p in weights])[0]]
    if len(chosen) > 6:
        chosen = rng.sample(chosen, 6)
    return chosen


# --- names ------------------------------------------------------------------------------------

_SPELLING_GROUPS = """
Catherine/Katherine/Kathryn/Catharine Stephen/Steven Philip/Phillip Sean/Shaun/Shawn Leigh/Lee
Zoe/Zoë Chloe/Chloë Isabel/Isobel/Isabelle Rebecca/Rebekah Hayley/Haley/Hailey
Kayleigh/Kayley/Kaylee Jayden/Jaden/Jaiden Aiden/Aidan/Ayden Lyndsey/Lindsay/Lindsey
Ashleigh/Ashley Leah/Lea Jaxon/Jackson Lacey/Lacie Darcie/Darcy/Darcey Esme/Esmé
Connor/Conor Niamh/Neve Ciara/Kiera/Keira Rhys/Reece/Reese Callum/Calum Tegan/Teagan
Mollie/Molly Louie/Louis Alistair/Alastair Nicola/Nichola Jodie/Jodi Carly/Carley
Gemma/Jemma Jade/Jayde Ellie/Elly Sophia/Sofia Amelie/Amélie Matthew/Mathew Jon/Jonn
McDonald/MacDonald/Macdonald Thompson/Thomson Clarke/Clark Davies/Davis Phillips/Philips
Matthews/Mathews Reid/Reed/Read Gray/Grey Stewart/Stuart McKenzie/MacKenzie O'Neill/O'Neil
Griffiths/Griffith Harris/Harriss Pearce/Pearse/Pierce Hughes/Hewes Lloyd/Loyd
"""


def _spelling_map(table: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for group in table.split():
        names = group.split("/")
        for name in names:
            out[name] = tuple(n for n in names if n != name)
    return out


_SPELLINGS = _spelling_map(_SPELLING_GROUPS)
_RESPELLABLE = frozenset(
    itertools.chain(_SPELLINGS, _CHINESE_SYLLABLES, *(table for table in _VARIANTS.values()))
)
# Short forms that are often the registered name, which an agency may "correct" to the long form.
_REGISTERED_SHORT_NAMES = """
Alfie Ellie Millie Archie Freddie Theo Evie Tilly Ollie Jake Reggie Albie Lexi Bella Libby Josie
Maddie Tommy Ronnie Frankie Bobby
"""
_REGISTERED_SHORT = frozenset(_REGISTERED_SHORT_NAMES.split())
_FORMAL_OF = {
    short: formal
    for formal, shorts in _NICKNAMES.items()
    for short in shorts
    if short in _REGISTERED_SHORT and sum(short in s for s in _NICKNAMES.values()) == 1
}
_ALT_RATES = {
    "maiden": "maiden_name_rate",
    "previous_married": "maiden_name_rate",
    "masculine": "masculine_surname_rate",
    "other_parent": "other_parent_surname_rate",
    "stepfather": "stepfather_surname_rate",
    "patronymic": "custom_surname_rate",
    "kaur_singh": "custom_surname_rate",
}
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _keyboard_neighbours() -> dict[str, str]:
    out: dict[str, str] = {}
    for r, row in enumerate(_KEY_ROWS):
        for i, key in enumerate(row):
            near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            if r > 0:
                near += [_KEY_ROWS[r - 1][j] for j in (i, i + 1) if j < len(_KEY_ROWS[r - 1])]
            if r < 2:
                near += [_KEY_ROWS[r + 1][j] for j in (i - 1, i) if 0 <= j < len(_KEY_ROWS[r + 1])]
            out[key] = "".join(near)
    return out


_NEIGHBOURS = _keyboard_neighbours()
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss"})


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _in_script(name: str, script: str) -> str:
    """The name as written in its own script, where we know it (Kovalenko -> Коваленко)."""
    table = _SCRIPTS[script]
    if name in table:
        return table[name]
    if script in ("ukrainian", "bulgarian") and name.endswith("a") and name[:-1] in table:
        return table[name[:-1]] + "\u0430"  # feminine surname: Ivanova -> Иванова
    return name


def _typo(text: str, rng: random.Random) -> str:
    """One keying error: a neighbouring key, a dropped, doubled or swapped letter."""
    letters = [i for i, c in enumerate(text) if c.isalpha() and c.isascii()]
    if len(letters) < 3:
        return text
    pos = rng.choice(letters[1:]) if rng.random() < 0.85 else letters[0]
    char = text[pos]
    roll = rng.random()
    if roll < 0.35:
        near = _NEIGHBOURS.get(char.lower()) or "e"
        new = rng.choice(near)
        return text[:pos] + (new.upper() if char.isupper() else new) + text[pos + 1 :]
    if roll < 0.6:
        return text[:pos] + text[pos + 1 :]
    if roll < 0.8:
        extra = char if rng.random() < 0.6 else rng.choice(_NEIGHBOURS.get(char.lower()) or "e")
        return text[: pos + 1] + extra.lower() + text[pos + 1 :]
    if pos + 1 < len(text) and text[pos + 1].isalpha():
        return text[:pos] + text[pos + 1] + char + text[pos + 2 :]
    return text[:pos] + text[pos + 1 :]


def _respell(
    name: str, person: TruePerson, habits: _Habits, rng: random.Random, cfg: PopulationConfig
) -> str:
    """Another spelling of the same name: transliteration, English variants, diacritics."""
    if not name or (name.isascii() and name not in _RESPELLABLE and name[:3] != "Al-"):
        return name
    rate = cfg.transliteration_rate if person.recent else cfg.settled_transliteration_rate
    variants = _VARIANTS.get(person.background, {}).get(name)
    if variants and rng.random() < rate:
        name = rng.choice(variants)
    elif name.startswith("Al-") and rng.random() < rate:
        rest = name[3:]
        name = rng.choice((f"Al {rest}", f"Al{rest.lower()}", f"El-{rest}", rest))
    elif name in _CHINESE_SYLLABLES and rng.random() < 0.3:
        first, second = _CHINESE_SYLLABLES[name]
        name = rng.choice((f"{first} {second.title()}", f"{first}-{second}", first + second))
    elif name in _SPELLINGS and rng.random() < cfg.spelling_variant_rate:
        name = rng.choice(_SPELLINGS[name])
    if not name.isascii() and rng.random() >= cfg.diacritics_kept_rate * habits.diacritics:
        name = _strip_accents(name)
    return name


def _chosen_given(
    person: TruePerson, habits: _Habits, rng: random.Random, cfg: PopulationConfig
) -> tuple[str, list[str]]:
    """The given name this agency uses (legal, known-as, short form) and the middle names."""
    given, middle = person.given, list(person.middle)
    if person.known_as and rng.random() < cfg.known_as_rate * habits.known_as:
        middle = [m for m in middle if m != person.known_as]
        if rng.random() < 0.3:
            middle.insert(0, given)
        given = person.known_as
    elif middle and rng.random() < cfg.middle_as_first_rate:
        given, middle = middle[0], middle[1:]
    if given in _NICKNAMES and rng.random() < cfg.nickname_rate * habits.nickname:
        given = rng.choice(_NICKNAMES[given])
    elif given in _FORMAL_OF and rng.random() < cfg.nickname_rate * habits.nickname * 0.15:
        given = _FORMAL_OF[given]
    if " " in given and rng.random() < 0.15:  # Abdul Rahman -> Abdul, middle Rahman
        given, rest = given.split(" ", 1)
        middle.insert(0, rest)
    if middle and rng.random() >= habits.middle_kept:
        middle = []
    if middle and rng.random() < cfg.middle_in_given_rate:
        given, middle = f"{given} {middle[0]}", middle[1:]
    elif middle and rng.random() < 0.08:
        middle = [m[0] for m in middle]
    return given, middle


def _chosen_family(person: TruePerson, rng: random.Random, cfg: PopulationConfig) -> str:
    """The surname this agency uses: current, maiden, other parent's, one half of a double."""
    family = person.family
    for kind, name in person.alt_families:
        if rng.random() < getattr(cfg, _ALT_RATES[kind]):
            family = name
            break
    if "-" in family and not family.startswith(("Al-", "El-")):
        roll = rng.random()
        parts = family.split("-")
        if roll < cfg.hyphen_part_rate:
            family = parts[-1] if rng.random() < 0.6 else parts[0]
        elif roll < cfg.hyphen_part_rate + 0.15:
            family = " ".join(parts) if rng.random() < 0.7 else "".join(parts)
    return family


def _prenatal_names(
    person: TruePerson, household: TrueHousehold, rng: random.Random
) -> tuple[str, str, str]:
    """An unborn child: 'Baby' or nothing, under the mother's (sometimes father's) surname."""
    given = rng.choices(("", "Baby", "Unborn", "Infant"), weights=(50, 30, 15, 5))[0]
    people = {p.person_id: p for p in household.people}
    mum = people.get(person.mother_id)
    dad = people.get(person.father_id)
    roll = rng.random()
    if dad is not None and roll < 0.12:
        family = dad.family
    elif mum is not None and roll < 0.95:
        family = mum.family
    else:
        family = ""
    return given, "", family


def _style(text: str, upper: bool, rng: random.Random, cfg: PopulationConfig) -> str:
    """Case, whitespace and punctuation as they come out of the agency's system and keyboard."""
    if not text or not text.isascii():
        return text
    if upper:
        text = text.upper()
    if rng.random() >= cfg.case_noise_rate:
        return text
    roll = rng.random()
    if roll < 0.25:
        return text.lower()
    if roll < 0.4:
        return text.upper()
    if roll < 0.55:
        return text + " "
    if roll < 0.65:
        return " " + text
    if "'" in text:
        return text.replace("'", rng.choice(("", " ", "\u2019", "`")))
    if "-" in text:
        return text.replace("-", rng.choice((" ", "", " - ")))
    if " " in text.strip():
        return text.replace(" ", "  ", 1)
    return text + "." if roll < 0.8 else text.title() if text.isupper() else text.upper()


def _record_names(
    person: TruePerson,
    household: TrueHousehold,
    agency: str,
    prenatal: bool,
    rng: random.Random,
    cfg: PopulationConfig,
) -> tuple[str, str, str]:
    habits = _HABITS[agency]
    if prenatal:
        given, _, family = _prenatal_names(person, household, rng)
        family = _respell(family, person, habits, rng, cfg)
        upper = rng.random() < habits.all_upper
        return _style(given, upper, rng, cfg), "", _style(family, upper, rng, cfg)
    given, middle = _chosen_given(person, habits, rng, cfg)
    family = _chosen_family(person, rng, cfg)
    bg = _BACKGROUND[person.background]
    script = bg.script if person.recent else ""
    if script and rng.random() < cfg.non_latin_script_rate:
        given, family = _in_script(given, script), _in_script(family, script)
        middle = [_in_script(m, script) for m in middle]
    else:
        given = _respell(given, person, habits, rng, cfg)
        family = _respell(family, person, habits, rng, cfg)
        if middle:
            middle = [_respell(m, person, habits, rng, cfg) for m in middle]
    if person.suffix and rng.random() < cfg.suffix_rate:
        suffix = rng.choice(("Jr", "Jnr", "Junior"))
        if rng.random() < 0.6:
            family = f"{family} {suffix}"
        else:
            given = f"{given} {suffix}"
    swap = cfg.east_asian_order_swap_rate if bg.east_asian else 0.0
    if rng.random() < swap + cfg.name_order_swap_rate:
        given, family = family, given
    given = _typo(given, rng) if rng.random() < cfg.typo_rate else given
    family = _typo(family, rng) if rng.random() < cfg.typo_rate else family
    if middle:
        middle = [_typo(m, rng) if rng.random() < cfg.typo_rate / 2 else m for m in middle]
    all_upper = rng.random() < habits.all_upper
    surname_upper = all_upper or rng.random() < habits.surname_upper
    return (
        _style(given, all_upper, rng, cfg),
        _style(" ".join(middle), all_upper, rng, cfg),
        _style(family, surname_upper, rng, cfg),
    )


# --- dates, sex, identifiers, addresses ---------------------------------------------------------


def _dob_digit_error(dob: dt.date, rng: random.Random, ref: dt.date) -> dt.date:
    """One digit of the date keyed wrongly, giving another real date in the past."""
    text = dob.strftime("%Y%m%d")
    positions, weights = (2, 3, 5, 6, 7), (10, 30, 15, 15, 30)
    for _ in range(10):
        pos = rng.choices(positions, weights=weights)[0]
        candidate = text[:pos] + str(rng.randint(0, 9)) + text[pos + 1 :]
        try:
            new = dt.date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:]))
        except ValueError:
            continue
        if new != dob and new < ref:
            return new
    return dob + dt.timedelta(days=rng.choice((-1, 1)))


def _record_dob(
    person: TruePerson, habits: _Habits, rng: random.Random, cfg: PopulationConfig
) -> str:
    dob = person.dob
    if dob is None:
        return ""
    if person.dob_assigned:  # 1 January of an estimated year; agencies disagree on the year
        roll = rng.random()
        if roll < 0.3:
            return str(dob.year)
        if roll < 0.4:
            return f"{dob.year + rng.choice((-1, 1))}-01-01"
    vague = 3.0 if person.role == "visitor" else 1.0  # police know a visitor by rough age
    missing = cfg.dob_missing_rate * habits.dob_missing * vague
    year_only = cfg.dob_year_only_rate * vague
    swap, digit, day = (
        cfg.dob_day_month_swap_rate,
        cfg.dob_digit_error_rate,
        cfg.dob_off_by_one_rate,
    )
    roll = rng.random()
    if roll >= missing + year_only + swap + digit + day:
        return dob.isoformat()
    for rate, kind in (
        (missing, "missing"),
        (year_only, "year"),
        (swap, "swap"),
        (digit, "digit"),
        (day, "day"),
    ):
        if roll < rate:
            return _wrong_dob(dob, kind, rng, cfg.reference_date)
        roll -= rate
    return dob.isoformat()


def _wrong_dob(dob: dt.date, kind: str, rng: random.Random, ref: dt.date) -> str:
    """A recording error of the given kind; wrong dates stay real dates before `ref`."""
    if kind == "missing":
        return ""
    if kind == "year":
        return str(dob.year)
    if kind == "swap" and dob.day <= 12 and dob.day != dob.month:
        swapped = dt.date(dob.year, dob.day, dob.month)
        if swapped < ref:
            return swapped.isoformat()
    if kind == "day":
        step = rng.choice((-1, 1)) if dob + dt.timedelta(days=1) < ref else -1
        return (dob + dt.timedelta(days=step)).isoformat()
    return _dob_digit_error(dob, rng, ref).isoformat()


def _record_sex(
    person: TruePerson, prenatal: bool, habits: _Habits, rng: random.Random, cfg: PopulationConfig
) -> str:
    if prenatal:
        return person.sex if rng.random() < 0.15 else ""
    roll = rng.random()
    missing = cfg.sex_missing_rate * habits.sex_missing
    if roll < missing:
        return ""
    if roll < missing + cfg.sex_wrong_rate:
        return "female" if person.sex == "male" else "male"
    return person.sex


def _garble(number: str, rng: random.Random) -> str:
    """A keying slip in an identifier: one digit wrong, two swapped, or one dropped."""
    digits = [i for i, c in enumerate(number) if c.isdigit()]
    pos = rng.choice(digits[:-1])
    roll = rng.random()
    if roll < 0.6:
        new = str((int(number[pos]) + rng.randint(1, 9)) % 10)
        return number[:pos] + new + number[pos + 1 :]
    if roll < 0.9 and number[pos] != number[pos + 1]:
        return number[:pos] + number[pos + 1] + number[pos] + number[pos + 2 :]
    return number[:pos] + number[pos + 1 :]


_PresenceTable = tuple[tuple[str, float], ...]
_PRESENCE_CACHE: dict[int, tuple[_PresenceTable, dict[str, float]]] = {}


def _presence(table: _PresenceTable, agency: str) -> float:
    """How often the agency records the identifier (tables are looked up by identity: fast)."""
    cached = _PRESENCE_CACHE.get(id(table))
    if cached is None or cached[0] is not table:
        cached = _PRESENCE_CACHE[id(table)] = (table, dict(table))
    return cached[1].get(agency, 0.0)


def _relative_nhs(person: TruePerson, household: TrueHousehold, rng: random.Random) -> str:
    """The NHS number of someone else in the household (mother's on the baby's record)."""
    people = {p.person_id: p for p in household.people}
    mother = people.get(person.mother_id)
    if mother is not None and mother.nhs:
        return mother.nhs
    others = [p.nhs for p in household.people if p.nhs and p is not person]
    return rng.choice(others) if others else person.nhs


def _record_nhs(
    person: TruePerson,
    household: TrueHousehold,
    agency: str,
    duplicate: bool,
    rng: random.Random,
    cfg: PopulationConfig,
) -> str:
    presence = _presence(cfg.nhs_presence, agency) * (0.6 if duplicate else 1.0)
    if not person.nhs or rng.random() >= presence:
        return ""
    number = person.nhs
    roll = rng.random()
    if roll < cfg.identifier_typo_rate:
        number = _garble(number, rng)
    elif roll < cfg.identifier_typo_rate + cfg.identifier_of_relative_rate:
        number = _relative_nhs(person, household, rng)
    if rng.random() < cfg.identifier_format_rate and len(number) == 10:
        number = nhs.format(number, separator=rng.choice((" ", " ", "-")))
    return number


def _record_upn(
    person: TruePerson, agency: str, duplicate: bool, rng: random.Random, cfg: PopulationConfig
) -> str:
    presence = _presence(cfg.upn_presence, agency) * (0.6 if duplicate else 1.0)
    if not person.upn or rng.random() >= presence:
        return ""
    if rng.random() < cfg.identifier_typo_rate:
        return _garble(person.upn, rng)
    return person.upn


def _record_address(
    person: TruePerson,
    household: TrueHousehold,
    agency: str,
    rng: random.Random,
    cfg: PopulationConfig,
) -> tuple[Address, str]:
    """The address on the record and the local authority of the agency that holds it."""
    history = person.addresses
    current = history[-1]
    lives_elsewhere = history is not household.addresses
    if (
        lives_elsewhere
        and agency in _INCIDENT_AGENCIES
        and rng.random() < cfg.found_at_family_address_rate
    ):  # recorded at the family home, where he was found
        current = household.addresses[-1]
        return current, current.local_authority
    if len(history) > 1 and rng.random() < cfg.stale_address_rate:
        old = rng.choice(history[:-1])
        la = current.local_authority if rng.random() < 0.15 else old.local_authority
        return old, la
    return current, current.local_authority


_INCIDENT_AGENCIES = frozenset({"police", "childrens_social_care"})


def _postcode_typo(postcode: str, rng: random.Random) -> str:
    positions = [i for i, c in enumerate(postcode) if c != " "]
    pos = rng.choice(positions[1:])
    char = postcode[pos]
    confusable = {"O": "0", "0": "O", "I": "1", "1": "I", "S": "5", "5": "S", "B": "8", "8": "B"}
    if char in confusable and rng.random() < 0.4:
        new = confusable[char]
    elif char.isdigit():
        new = str((int(char) + rng.choice((-1, 1, 2))) % 10)
    else:
        new = rng.choice(_POSTCODE_LETTERS.replace(char, ""))
    return postcode[:pos] + new + postcode[pos + 1 :]


def _record_postcode(
    postcode: str, habits: _Habits, rng: random.Random, cfg: PopulationConfig
) -> str:
    if rng.random() < cfg.postcode_missing_rate * habits.postcode_missing:
        return ""
    if rng.random() < cfg.postcode_typo_rate:
        postcode = _postcode_typo(postcode, rng)
    if rng.random() < cfg.postcode_format_rate:
        postcode = rng.choice(
            (postcode.replace(" ", ""), postcode.lower(), postcode.replace(" ", "  "))
        )
    return postcode


def _street_type(address: Address, rng: random.Random) -> str:
    for name, _, short in _STREET_TYPES:
        if name == address.street_type and short and rng.random() < 0.6:
            return rng.choice(short)
    return address.street_type


def _record_address_line(address: Address, rng: random.Random, cfg: PopulationConfig) -> str:
    """The first line of the address as typed: '12 Mill Lane', '12, Mill Ln', 'Flat 2, ...'."""
    if rng.random() < cfg.address_missing_rate:
        return ""
    if rng.random() >= cfg.address_variant_rate:
        return address.line
    number = str(address.number)
    if rng.random() < 0.04 and len(number) > 1:  # digits swapped
        number = number[::-1]
    street = f"{address.street} {_street_type(address, rng)}"
    line = f"{number}{rng.choice((' ', ', ', ' '))}{street}"
    if address.flat:
        style = rng.choice(("Flat {f}, ", "Flat {f} ", "{f}/", "Apartment {f}, ", "", "Flat {f}, "))
        line = style.format(f=address.flat) + line
    if rng.random() < 0.15:
        line = f"{line}, {address.town}"
    roll = rng.random()
    if roll < 0.15:
        line = line.upper()
    elif roll < 0.2:
        line = line.lower()
    return line


_ROLE_CONFUSERS = frozenset({"police", "childrens_social_care", "housing"})
_PARENT_AGENCIES = frozenset({"childrens_social_care", "health_visitor", "school", "gp"})


def _record_role(
    person: TruePerson, agency: str, prenatal: bool, rng: random.Random, cfg: PopulationConfig
) -> str:
    if prenatal:
        return "unborn"
    if person.unborn:
        return "child"
    role = person.role
    if person.relation == "father" and agency in _PARENT_AGENCIES and rng.random() < 0.35:
        return "carer"  # the children's agencies see a resident father as a carer
    confusable = role in ("partner", "visitor") and agency in _ROLE_CONFUSERS
    if confusable and rng.random() < cfg.role_confusion_rate:
        return "visitor" if role == "partner" else "partner"
    return role


def _record(
    person: TruePerson,
    household: TrueHousehold,
    agency: str,
    duplicate: bool,
    rng: random.Random,
    cfg: PopulationConfig,
    refs: _Refs,
) -> PopulationRecord:
    habits = _HABITS[agency]
    prenatal = person.unborn and (
        person.dob is None
        or agency == "midwifery"
        or (agency == "childrens_social_care" and rng.random() < 0.5)
    )
    address, la = _record_address(person, household, agency, rng, cfg)
    if rng.random() < cfg.local_authority_missing_rate:
        la = ""
    given, middle, family = _record_names(person, household, agency, prenatal, rng, cfg)
    return PopulationRecord(
        record_id=refs.record_id(),
        agency=agency,
        local_authority=la,
        source_ref=refs.source_ref(agency),
        given_name=given,
        middle_names=middle,
        family_name=family,
        date_of_birth="" if prenatal else _record_dob(person, habits, rng, cfg),
        sex=_record_sex(person, prenatal, habits, rng, cfg),
        nhs_number="" if prenatal else _record_nhs(person, household, agency, duplicate, rng, cfg),
        upn=_record_upn(person, agency, duplicate, rng, cfg),
        postcode=_record_postcode(address.postcode, habits, rng, cfg),
        address_line=_record_address_line(address, rng, cfg),
        role=_record_role(person, agency, prenatal, rng, cfg),
        true_person_id=person.person_id,
        true_household_id=person.household_id,
    )


def _household_records(
    household: TrueHousehold, rng: random.Random, cfg: PopulationConfig, refs: _Refs
) -> list[PopulationRecord]:
    """Every agency record of the household's people, in no particular order."""
    plan: list[tuple[TruePerson, str, bool]] = []
    for person in household.people:
        for agency in _choose_agencies(person, household, rng, cfg):
            plan.append((person, agency, False))
            if rng.random() < cfg.duplicate_record_rate:
                plan.append((person, agency, True))
    rng.shuffle(plan)
    return [_record(p, household, agency, dup, rng, cfg, refs) for p, agency, dup in plan]


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


def iter_population(
    households: int, seed: int = 0, config: PopulationConfig | None = None
) -> Iterator[PopulationRecord]:
    """Stream the records of `households` synthetic households, one household at a time."""
    cfg = config or PopulationConfig()
    rng = random.Random(f"records:{seed}")
    refs = _Refs(seed)
    for household in iter_households(households, seed, cfg):
        yield from _household_records(household, rng, cfg, refs)


def generate_population(
    households: int, seed: int = 0, config: PopulationConfig | None = None
) -> list[PopulationRecord]:
    """All records of `households` synthetic households (deterministic for the seed)."""
    return list(iter_population(households, seed, config))


def write_population_csv(records: Iterable[PopulationRecord], path: str | Path) -> None:
    """UTF-8 CSV: a header of COLUMNS, then one row per record (streams an iterator)."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for record in records:
            writer.writerow([getattr(record, column) for column in COLUMNS])


def read_population_csv(path: str | Path) -> list[PopulationRecord]:
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader, ()))
        if header != COLUMNS:
            raise ValueError(f"{path}: expected columns {COLUMNS}, found {header}")
        return [PopulationRecord(*row) for row in reader]
