"""Keywork's own open outcome framework for housing-related support, written for Keywork
and free to use. Its wording is Keywork's; it copies no licensed framework."""

NAME = "Keywork Steps"
DESCRIPTION = (
    "Ten areas of life that housing-related support helps with, each rated from 1 to 10 "
    "by the person and their worker together."
)
DOMAINS = (
    (
        "Home and tenancy",
        "Having a home, keeping it safe and clean, and keeping to the tenancy or licence.",
    ),
    ("Money", "Income, benefits, budgeting, rent and debts."),
    (
        "Physical health",
        "Looking after the body: GP, dentist, eating, sleeping, long-term conditions.",
    ),
    ("Mental health and wellbeing", "Mood, coping, confidence and getting the right help."),
    ("Drugs and alcohol", "The part drink and drugs play, and any treatment or recovery."),
    (
        "Safety and risk",
        "Staying safe from harm, exploitation and crisis, and keeping others safe.",
    ),
    ("Relationships and support", "Family, friends and people to rely on."),
    ("Learning, work and activity", "Courses, volunteering, work and things that fill the week."),
    ("Everyday living skills", "Cooking, shopping, looking after the home and paperwork."),
    ("Offending and the law", "Staying clear of offending, and dealing with courts and probation."),
)
STAGES = (
    ("Not ready yet", "Things are hard and change does not feel possible now.", 1, 2),
    ("Thinking about it", "Starting to see what could be different, and open to help.", 3, 4),
    ("Making changes", "Trying things with support; some days go well, some do not.", 5, 6),
    ("Getting there", "Change is taking hold; help is needed less often.", 7, 8),
    ("Managing well", "Managing on their own and knowing where to turn if needed.", 9, 10),
)
