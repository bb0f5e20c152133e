"""Keywork's own open competency framework for housing-related support work, written
for Keywork and free to use. Each competency has what it looks like at each level and
the level each role needs."""

NAME = "Keywork support work competencies"
DESCRIPTION = (
    "What good housing-related support looks like, at three levels: entry (learning the "
    "work with guidance), desired (doing it well on one's own) and exceptional (doing it "
    "so well that others learn from it)."
)
LEVELS = [(1, "Entry"), (2, "Desired"), (3, "Exceptional")]

A, W, S, C, L = (
    "support_assistant",
    "support_worker",
    "senior_practitioner",
    "complex_caseworker",
    "lead_manager",
)


def _needs(assistant: int, worker: int, senior: int) -> dict[str, int]:
    # A complex caseworker needs what a key worker needs; a lead manager what a senior does.
    return {A: assistant, W: worker, C: worker, S: senior, L: senior}


COMPETENCIES = [
    (
        "Building working relationships",
        "Gets to know each person as they are, earns their trust and keeps the "
        "relationship honest, warm and within professional limits.",
        (
            "Is friendly and reliable, keeps to what was agreed and asks for help when a "
            "relationship becomes difficult.",
            "Keeps trust through hard conversations, notices when someone withdraws and "
            "changes approach to keep them engaged.",
            "Engages people others could not reach, and helps colleagues repair "
            "relationships that have broken down.",
        ),
        _needs(1, 2, 3),
    ),
    (
        "Support planning with the person",
        "Plans support with the person, in their own words, around what matters to them "
        "and the strengths they already have.",
        (
            "Helps a person say what they want and records agreed actions accurately.",
            "Writes plans led by the person, reviews them on time and keeps actions moving.",
            "Shapes how the team plans support and coaches others to write plans people "
            "recognise as their own.",
        ),
        _needs(1, 2, 3),
    ),
    (
        "Recognising and managing risk",
        "Notices risk to and from the person, records it, and acts on it proportionately "
        "with the person and with managers.",
        (
            "Knows the warning signs, reports concerns the same day and follows the risk "
            "plan in place.",
            "Assesses risk with the person, writes clear management plans and reviews them "
            "when things change.",
            "Makes sound judgements in complex or fast-moving situations and helps others "
            "weigh positive risk-taking.",
        ),
        _needs(1, 2, 3),
    ),
    (
        "Safeguarding",
        "Protects adults and children from abuse, neglect and exploitation, and knows when "
        "and how to raise a concern.",
        (
            "Recognises possible abuse and passes the concern on straight away as the "
            "procedure says.",
            "Raises safeguarding referrals with the evidence needed and follows them up "
            "with other agencies.",
            "Leads on safeguarding in the service and helps colleagues through difficult "
            "decisions.",
        ),
        _needs(2, 2, 3),
    ),
    (
        "Recording and information",
        "Keeps accurate, timely and respectful records, and shares information only as "
        "the person's consent and the law allow.",
        (
            "Writes file notes the same day, factual and in plain words.",
            "Keeps a full record that another worker could pick up, and checks consent "
            "before sharing anything.",
            "Reviews the quality of others' records and helps the team improve them.",
        ),
        _needs(2, 2, 3),
    ),
    (
        "Housing and tenancy knowledge",
        "Understands licences, tenancies, benefits and the housing options open to the "
        "people supported, and helps them keep and move on to a home.",
        (
            "Knows the basics of the licence or tenancy and where to find advice.",
            "Helps people sustain their tenancy, claim what they are entitled to and plan "
            "realistic move-on.",
            "Solves unusual housing problems and keeps the team's knowledge up to date.",
        ),
        _needs(1, 2, 3),
    ),
    (
        "Working with other agencies",
        "Works jointly with health, probation, councils and others so that support fits "
        "together around the person.",
        (
            "Knows which agencies are involved with each person and passes messages on accurately.",
            "Makes and follows up referrals, takes part in meetings and speaks up for the "
            "person's view.",
            "Builds lasting links with partners and resolves disagreements between agencies.",
        ),
        _needs(1, 2, 3),
    ),
    (
        "Mental health and wellbeing",
        "Understands how mental health, substance use and trauma affect people, and "
        "responds with care and skill.",
        (
            "Responds calmly and kindly, and knows who to call in a crisis.",
            "Adapts support to each person's needs and recognises early signs of relapse.",
            "Uses trauma-informed practice confidently and supports colleagues after "
            "difficult incidents.",
        ),
        _needs(1, 2, 3),
    ),
    (
        "Reflective practice",
        "Looks honestly at their own work, uses supervision well and keeps learning.",
        (
            "Comes to supervision prepared and takes up feedback.",
            "Reflects on what went well and what did not, and sets their own learning goals.",
            "Helps build a learning culture in the team and gives others useful feedback.",
        ),
        _needs(1, 2, 3),
    ),
    (
        "Equality and inclusion",
        "Treats everyone fairly, respects difference and challenges discrimination.",
        (
            "Treats each person with respect and uses the names and pronouns they ask for.",
            "Adapts support to people's culture, language and access needs, and challenges "
            "unfair treatment.",
            "Finds and removes barriers in how the service works for people who are often "
            "excluded.",
        ),
        _needs(1, 2, 3),
    ),
]
