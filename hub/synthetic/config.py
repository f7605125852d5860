"""`PopulationConfig`: every composition and corruption rate a benchmark may want to vary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
