"""The targets the synthetic national data set is calibrated to, with where each comes from.

Sources are in `shared/facts.md` and `shared/reference/ncmd-domain.md` §7; where a value is an
assumption it says so. `tests/unit/synthetic/test_synthetic_distributions.py` checks the
generated data against these targets with stated tolerances.
"""

# Deaths per year ending 31 March (published: 2022-23 3,743; 2023-24 3,577; 2024-25 3,492).
DEATHS_BY_YEAR = {2022: 3650, 2023: 3743, 2024: 3577, 2025: 3492}
DEATHS_OTHER_YEARS = 3480

# Regional death rates per 100,000 children (published range 21.9 to 39.1 in 2024-25; the
# values for each region are an assumption spread across that range).
REGION_RATE = {
    "E12000001": 33.0,  # North East
    "E12000002": 35.5,  # North West
    "E12000003": 36.0,  # Yorkshire and The Humber
    "E12000004": 30.5,  # East Midlands
    "E12000005": 39.1,  # West Midlands
    "E12000006": 25.5,  # East of England
    "E12000007": 28.0,  # London
    "E12000008": 21.9,  # South East
    "E12000009": 24.0,  # South West
}

# Share of deaths by age band (infants 61-63%, neonatal about 42%; the split over 1-17 years is
# an assumption: U-shaped, 5-9 lowest).
AGE_BAND_SHARE = {
    "0-27d": 0.42,
    "28-364d": 0.20,
    "1-4": 0.12,
    "5-9": 0.06,
    "10-14": 0.08,
    "15-17": 0.12,
}

MALE_SHARE = 0.565

# Child population share by ethnic group (England, approximate) and the death rate relative to
# White children (published 2024-25 rates: Black 58.1, Asian 52.2, White 22.8; adjusted IRRs for
# Mixed 1.06 and Other 1.74).
ETHNIC_POPULATION_SHARE = {"white": 0.73, "asian": 0.11, "black": 0.055, "mixed": 0.08,
                           "other": 0.025}  # fmt: skip
ETHNIC_RATE_RATIO = {"white": 1.0, "asian": 52.2 / 22.8, "black": 58.1 / 22.8, "mixed": 1.06,
                     "other": 1.74}  # fmt: skip
# Codes of the ethnicity code list within each group, with their share of the group (assumption).
ETHNIC_CODES = {
    "white": {"A": 0.86, "B": 0.01, "C": 0.13},
    "mixed": {"D": 0.3, "E": 0.15, "F": 0.3, "G": 0.25},
    "asian": {"H": 0.3, "J": 0.4, "K": 0.15, "L": 0.12, "R": 0.03},
    "black": {"M": 0.2, "N": 0.7, "P": 0.1},
    "other": {"S": 1.0},
}
ETHNICITY_NOT_STATED = 0.03

# Deprivation: decile 1 = most deprived; deciles hold equal numbers of children (assumption);
# death rate ratio per decile more deprived chosen so that the most to least deprived quintile
# rate ratio is 42.0 / 17.4 = 2.41 (published 2024-25), i.e. 2.41 ** (1 / 8) per decile.
DEPRIVATION_RR_PER_DECILE = (42.0 / 17.4) ** (1 / 8)

# Category of death by age band (assumption anchored on: perinatal/neonatal about 4 in 10
# reviews, chromosomal next, about 108 suicides a year, SUDI mostly at 28-364 days).
CATEGORY_BY_AGE = {
    "0-27d": {"perinatal": 0.78, "chromosomal": 0.17, "infection": 0.03,
              "sudden_unexpected": 0.01, "acute_medical": 0.01},
    "28-364d": {"chromosomal": 0.30, "sudden_unexpected": 0.25, "infection": 0.12,
                "acute_medical": 0.12, "chronic_medical": 0.07, "perinatal": 0.06,
                "trauma": 0.03, "deliberately_inflicted": 0.04, "malignancy": 0.01},
    "1-4": {"chromosomal": 0.22, "acute_medical": 0.16, "infection": 0.14, "malignancy": 0.12,
            "chronic_medical": 0.12, "trauma": 0.12, "sudden_unexpected": 0.08,
            "deliberately_inflicted": 0.04},
    "5-9": {"malignancy": 0.30, "chronic_medical": 0.20, "chromosomal": 0.15,
            "acute_medical": 0.12, "infection": 0.08, "trauma": 0.12, "sudden_unexpected": 0.03},
    "10-14": {"malignancy": 0.22, "chronic_medical": 0.22, "trauma": 0.18, "suicide": 0.10,
              "chromosomal": 0.10, "acute_medical": 0.10, "infection": 0.05,
              "sudden_unexpected": 0.03},
    "15-17": {"trauma": 0.34, "suicide": 0.20, "chronic_medical": 0.13, "malignancy": 0.11,
              "acute_medical": 0.09, "deliberately_inflicted": 0.05, "chromosomal": 0.04,
              "infection": 0.02, "sudden_unexpected": 0.02},
}  # fmt: skip

# Probability that a death in each category was unexpected (assumption; gives about 30% overall,
# published: about 30% of deaths are sudden and unexpected).
UNEXPECTED_BY_CATEGORY = {
    "perinatal": 0.12, "chromosomal": 0.08, "malignancy": 0.03, "chronic_medical": 0.15,
    "acute_medical": 0.45, "infection": 0.40, "trauma": 0.98, "suicide": 1.0,
    "deliberately_inflicted": 1.0, "sudden_unexpected": 1.0,
}  # fmt: skip

# Share of reviewed deaths with modifiable factors by category, before the trend (perinatal 34%
# published; abuse/neglect highest; the rest an assumption), and the trend by year ending March
# that takes the overall share from about a third (2022-23) to 48% (2024-25).
MODIFIABLE_BY_CATEGORY = {
    "perinatal": 0.34, "deliberately_inflicted": 0.75, "sudden_unexpected": 0.60,
    "suicide": 0.62, "trauma": 0.62, "acute_medical": 0.36, "infection": 0.36,
    "chronic_medical": 0.22, "chromosomal": 0.16, "malignancy": 0.10,
}  # fmt: skip
MODIFIABLE_TREND = {2021: 0.85, 2022: 0.92, 2023: 1.02, 2024: 1.22, 2025: 1.42, 2026: 1.46}
INSUFFICIENT_INFORMATION = 0.015

# Days from death to CDOP review: log-normal (median about 10 months), longer for unexpected
# deaths (post-mortems, inquests). An assumption: the published distribution was not found.
REVIEW_LAG_MEDIAN_DAYS = 290
REVIEW_LAG_SIGMA = 0.55
REVIEW_LAG_UNEXPECTED_FACTOR = 1.45

# Data quality profiles: most CDOPs are "good"; some notify late, some leave optional questions
# empty or answer "not known", some give inconsistent answers. Shares of CDOPs (assumption).
QUALITY_PROFILES = {
    "good": {"share": 0.70, "notify_hours": 20, "missing": 0.03, "inconsistent": 0.003,
             "supplementary": 0.85, "return_days": 21},
    "late": {"share": 0.12, "notify_hours": 130, "missing": 0.05, "inconsistent": 0.005,
             "supplementary": 0.75, "return_days": 45},
    "incomplete": {"share": 0.12, "notify_hours": 30, "missing": 0.25, "inconsistent": 0.01,
                   "supplementary": 0.45, "return_days": 30},
    "inconsistent": {"share": 0.06, "notify_hours": 36, "missing": 0.08, "inconsistent": 0.06,
                     "supplementary": 0.7, "return_days": 30},
}  # fmt: skip

# Share of deaths notified twice (the same death by a second professional, or by a neighbouring
# CDOP in error); the rate is not published (assumption), and the share of those the CDOP has
# already resolved.
DUPLICATE_SHARE = 0.006
DUPLICATE_RESOLVED = 0.7
# Share of the children known to social care (published about 15%).
KNOWN_TO_SOCIAL_CARE = 0.15
