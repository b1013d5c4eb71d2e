"""The audiences that learning from child death review is addressed to.

One list, used by recommendations, QI packs, stakeholder contacts, messages and events, so that
"everyone a recommendation to midwives should reach" is one query. The groups follow the national
programme's quality improvement plan (maternity commissioners, police, teachers, health visitors,
midwives, GPs; schools, early years, police and safeguarding audiences for webinars).
"""

from django.db import models


class Audience(models.TextChoices):
    CDOPS = "cdops", "Child Death Overview Panels"
    MATERNITY_COMMISSIONERS = "maternity_commissioners", "Maternity commissioners"
    MIDWIVES = "midwives", "Midwives"
    HEALTH_VISITORS = "health_visitors", "Health visitors"
    GPS = "gps", "General practitioners"
    PAEDIATRICIANS = "paediatricians", "Paediatricians and hospital clinicians"
    POLICE = "police", "Police"
    TEACHERS = "teachers", "Teachers and schools"
    EARLY_YEARS = "early_years", "Early years settings"
    SAFEGUARDING = "safeguarding", "Safeguarding partners"
    SOCIAL_CARE = "social_care", "Children's social care"
    PUBLIC_HEALTH = "public_health", "Public health teams"
    POLICY_MAKERS = "policy_makers", "National policy makers"
    CHARITIES = "charities", "Bereavement and children's charities"
    FAMILIES = "families", "Families and the public"
