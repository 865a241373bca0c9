"""The default guide set, written by us in Dutch, grounded in the source texts in seeds/.

Mentoring project: three meetings about the schoolleider's new role (conviction,
role-model behaviour, facilitation, skills). Expertcoach program: one guide per phase
(Start, Training, Verdieping, Continu verbeteren) around the four instruments.
Texts are data, not UI strings: staff edit them per program year in the guide editor.
"""

from __future__ import annotations

from programs.enums import Phase, ProgramKind

from .enums import Theme

LINK_APPROACH = "- [De leerKRACHT-aanpak](https://stichting-leerkracht.nl/aanpak/)"

MENTORING = [
    {
        "number": 1,
        "title": "Kennismaken en de ambitie scherp krijgen",
        "themes": [Theme.CONVICTION, Theme.ROLE_MODEL],
        "goal": (
            "U leert elkaar en elkaars werk kennen en maken scherp waar de school naartoe "
            "wil met ‘elke dag samen een beetje beter’. De schoolleider gaat naar huis met een "
            "helder beeld van de eigen ambitie voor dit jaar en van één ding dat hij of zij zelf "
            "anders gaat doen als leidinggevende.\n\n"
            "De mentor brengt ervaring mee uit een organisatie die al werkt met continu verbeteren "
            "(Lean, Agile-scrum, Kaizen). Het gaat niet om het overplanten van een methode, maar om "
            "het gesprek: wat herkent u van elkaar, en wat werkt in een school anders dan in een bedrijf?"
        ),
        "questions": (
            "**Overtuiging**\n\n"
            "- Waarom doet uw school mee met leerKRACHT? Wat moet er over een jaar anders zijn "
            "voor de leerlingen?\n"
            "- Hoe hoog ligt de lat in het team? Wat hoort u als u de ambitie uitspreekt?\n"
            "- Mentor: hoe hield u vast aan een verandering toen het enthousiasme na de start "
            "wegzakte? Wat hielp, wat juist niet?\n\n"
            "**Voorbeeldgedrag**\n\n"
            "- Hoeveel van uw week gaat nu naar administratie en vergaderen, en hoeveel naar het "
            "onderwijs zelf?\n"
            "- Bent u aanwezig bij de bordsessies van uw teams? Wat merken leraren daarvan?\n"
            "- Mentor: wat deed uw leidinggevende (of u zelf) dat liet zien dat verbeteren "
            "echt ertoe deed?\n\n"
            "**Afspraak**\n\n"
            "- Welk ene gedrag laat u de komende weken zichtbaar zien? Hoe weet u of het werkt?"
        ),
        "prep_mentor": (
            "Lees de korte beschrijving van de vier leerKRACHT-instrumenten (bordsessie, "
            "lesontwerp, lesbezoek, stem van de leerling)\n"
            "Bedenk een voorbeeld uit uw eigen werk waarin een team volhield bij een moeizame "
            "verandering\n"
            "Noteer twee vragen die u de schoolleider wilt stellen over de school\n"
            "Spreek af waar u elkaar ziet (bedrijf, school of online)"
        ),
        "prep_schoolleider": (
            "Schrijf in een paar zinnen op waarom de school meedoet en wat uw ambitie is\n"
            "Kijk terug op uw agenda van de afgelopen twee weken: waar ging uw tijd naartoe?\n"
            "Bedenk waar u nu het meest tegenaan loopt in uw rol\n"
            "Nodig de mentor uit voor een bordsessie als het gesprek op school is"
        ),
        "links": LINK_APPROACH,
    },
    {
        "number": 2,
        "title": "Ruimte maken: tijd in het rooster en bewaken",
        "themes": [Theme.FACILITATION, Theme.ROLE_MODEL],
        "goal": (
            "Een verbetercultuur heeft een vast ritme nodig: elke week een moment voor de "
            "bordsessie, tijd om samen lessen te ontwerpen en bij elkaar in de klas te kijken. "
            "In dit gesprek gaat het over de vraag hoe de schoolleider die tijd voor álle leraren "
            "organiseert en beschermt, ook als het druk wordt. U kijkt ook samen terug op de "
            "afspraak van het eerste gesprek.\n\n"
            "Uit onderzoek naar leerKRACHT-scholen blijkt dat een vast, ingepland moment en "
            "facilitering in tijd voorwaarden zijn om samen te werken. Bedrijven kennen hetzelfde: "
            "een stand-up die telkens wordt verschoven, sterft een stille dood."
        ),
        "questions": (
            "**Terugblik**\n\n"
            "- Hoe ging het met de afspraak van de vorige keer? Wat viel op?\n\n"
            "**Facilitering**\n\n"
            "- Staat er voor elk team een vast wekelijks moment in het rooster? Wie valt er buiten?\n"
            "- Wat verdringt die tijd als het druk wordt (vergaderingen, invalwerk, toetsweken)?\n"
            "- Wat kunt u schrappen of anders organiseren zodat de tijd er wél is?\n"
            "- Mentor: hoe beschermde uw organisatie de tijd voor verbeteren tegen de waan van "
            "de dag? Welke afspraken of rituelen hielpen?\n\n"
            "**Voorbeeldgedrag**\n\n"
            "- Wat zegt het het team als de schoolleider zelf zijn of haar MT-tijd anders gaat "
            "gebruiken?\n"
            "- Vraagt u leraren om feedback op uw rol? Hoe zou u dat kunnen doen?\n\n"
            "**Afspraak**\n\n"
            "- Welke concrete wijziging in rooster of agenda zet u de komende maand door?"
        ),
        "prep_mentor": (
            "Lees de aantekeningen en afspraken van het eerste gesprek terug\n"
            "Bedenk hoe in uw organisatie tijd voor verbeteren is vastgelegd en bewaakt\n"
            "Neem een voorbeeld mee van iets waarmee u bewust bent gestopt om ruimte te maken"
        ),
        "prep_schoolleider": (
            "Neem het rooster mee: waar zitten de vaste momenten voor bordsessie en lesbezoek?\n"
            "Vraag twee leraren wat hen helpt en wat hen hindert om tijd te vinden voor samen "
            "verbeteren\n"
            "Kijk hoe het ging met de afspraak van het eerste gesprek"
        ),
        "links": LINK_APPROACH,
    },
    {
        "number": 3,
        "title": "Vaardigheden en volhouden: bordsessie in het MT en feedback",
        "themes": [Theme.SKILLS, Theme.CONVICTION],
        "goal": (
            "In het laatste gesprek staan twee vaardigheden centraal die de schoolleider zelf "
            "nodig heeft: een bordsessie leiden in het managementteam, en effectief feedback geven "
            "(en vragen). Daarnaast kijkt u samen vooruit: hoe houdt de school vol als het programma "
            "gewoon werk wordt, en wat neemt de schoolleider mee na de drie gesprekken?\n\n"
            "Sluit af met wat u allebei hebt geleerd; ook de mentor neemt vaak iets mee "
            "terug naar het eigen bedrijf."
        ),
        "questions": (
            "**Terugblik**\n\n"
            "- Wat is er veranderd sinds het tweede gesprek? Waar bent u trots op?\n\n"
            "**Vaardigheden**\n\n"
            "- Houdt het MT zelf een bordsessie? Hoe ziet het bord eruit en wie leidt de sessie?\n"
            "- Mentor: hoe ziet een goede stand-up er bij u uit? Wat maakt het verschil tussen "
            "een korte werksessie en een vergadering?\n"
            "- Hoe geeft u feedback na een lesbezoek zonder dat het als beoordeling voelt?\n"
            "- Hoe zorgt u dat feedback geven en krijgen veilig voelt in het team?\n\n"
            "**Overtuiging en volhouden**\n\n"
            "- Waar ziet u verander-moeheid? Wat houdt de energie erin?\n"
            "- Welke successen kunt u zichtbaar maken voor het team en de leerlingen?\n\n"
            "**Afronding**\n\n"
            "- Wat neemt u mee uit deze drie gesprekken? Wat gaat u het komende halfjaar doen?\n"
            "- Wilt u na afloop contact houden, en zo ja hoe?"
        ),
        "prep_mentor": (
            "Lees de afspraken van de vorige gesprekken terug en kijk wat er is gebeurd\n"
            "Bereid een kort voorbeeld voor van een feedbackgesprek dat goed ging (of juist niet)\n"
            "Bedenk wat u zelf hebt geleerd van de schoolleider"
        ),
        "prep_schoolleider": (
            "Neem een foto of schets mee van het bord van het MT (of van een team)\n"
            "Denk aan een recent feedbackgesprek: wat ging goed, wat zou u anders doen?\n"
            "Schrijf op wat u na de drie gesprekken wilt blijven doen"
        ),
        "links": LINK_APPROACH,
    },
]

COACH = [
    {
        "number": 1,
        "phase": Phase.START,
        "title": "Start: het leerKRACHT-team vormen en de opstart voorbereiden",
        "themes": [Theme.BOARD_SESSION],
        "goal": (
            "In de startfase vormt de school een klein leerKRACHT-team van leraren "
            "(de schoolcoaches) en schoolleiding. De expertcoach traint dit team in de aanpak en "
            "bereidt samen met hen de opstart voor het hele team voor. Doel van dit gesprek: "
            "helderheid over wie wat doet, wanneer de eerste bordsessies plaatsvinden en welke "
            "tijd daarvoor in het rooster komt."
        ),
        "questions": (
            "- Wie zitten er in het leerKRACHT-team, en zijn alle bouwen of secties vertegenwoordigd?\n"
            "- Hoe verdelen we de teams (ongeveer acht personen, per bouw, sectie of leerjaar)?\n"
            "- Op welk vast moment in de week komt de bordsessie, en wat schuift daarvoor weg?\n"
            "- Hoe vertellen we het hele team waarom we dit doen? Wat betekent het voor de leerling?\n"
            "- Wat verwacht de schoolleider van de schoolcoaches, en wat hebben zij van de "
            "schoolleider nodig?"
        ),
        "prep_mentor": (
            "Lees het intakeverslag en de doelen van de school\n"
            "Neem een voorbeeldbord en de trainingsplanning mee"
        ),
        "prep_schoolleider": (
            "Kies de schoolcoaches en plan hun trainingsdagen\n"
            "Zoek in het rooster een vast wekelijks moment voor de bordsessies"
        ),
        "links": LINK_APPROACH,
    },
    {
        "number": 2,
        "phase": Phase.TRAINING,
        "title": "Training: alle teams aan de slag met de vier instrumenten",
        "themes": [
            Theme.BOARD_SESSION,
            Theme.LESSON_DESIGN,
            Theme.LESSON_VISIT,
            Theme.STUDENT_VOICE,
        ],
        "goal": (
            "Alle teamleden werken nu met de vier instrumenten: de wekelijkse bordsessie, "
            "gezamenlijk lesontwerp, lesbezoek met feedback en de stem van de leerling. Eerst doen, "
            "dan denken: de eerste successen en het plezier in samenwerken tellen meer dan een "
            "perfecte uitvoering. In dit gesprek kijkt de expertcoach met schoolcoaches en "
            "schoolleider naar het ritme en naar wat de teams nodig hebben."
        ),
        "questions": (
            "- Vinden de bordsessies elke week plaats, kort en gericht op leerlingdoelen?\n"
            "- Hoeveel lessen zijn samen ontworpen, en wordt er bij elkaar gekeken of het beoogde "
            "effect op de leerling wordt bereikt?\n"
            "- Hoe gaat het nagesprek na een lesbezoek? Voelt feedback veilig?\n"
            "- Op welke manier hebben leerlingen al feedback gegeven? Wat deden de leraren ermee?\n"
            "- Wat doet de schoolleider om het ritme te bewaken en zichtbaar mee te doen?"
        ),
        "prep_mentor": (
            "Bezoek minstens één bordsessie en één lesbezoek-nagesprek\n"
            "Verzamel vragen van de schoolcoaches"
        ),
        "prep_schoolleider": (
            "Ga na welke teams het ritme halen en welke niet\n"
            "Neem een voorbeeld mee van een gezamenlijk ontworpen les"
        ),
        "links": LINK_APPROACH,
    },
    {
        "number": 3,
        "phase": Phase.VERDIEPING,
        "title": "Verdieping: eigen doelen stellen en de aanpak passend maken",
        "themes": [Theme.LESSON_DESIGN, Theme.STUDENT_VOICE],
        "goal": (
            "De teams kennen de instrumenten; nu gaat het om het onderwijs zelf verder verbeteren. "
            "Teams stellen met de schoolleiding eigen doelen en krijgen de ruimte om verbeteracties "
            "te bedenken en uit te voeren. Waar het helpt passen ze de aanpak aan, zodat die bij "
            "de school past. De expertcoach stelt vooral vragen die tot reflectie aanzetten."
        ),
        "questions": (
            "- Welke doelen hebben de teams zelf gesteld, en hoe ziet u voortgang op het bord?\n"
            "- Welke aanpassingen aan de aanpak hebben teams gedaan, en waarom?\n"
            "- Hoe komt de stem van de leerling terug in de verbeteracties?\n"
            "- Hoe delen schoolcoaches de verantwoordelijkheid met de leraren?\n"
            "- Welke kaders geeft de schoolleider, en waar laat hij of zij ruimte?"
        ),
        "prep_mentor": (
            "Bekijk de borden van twee teams en noteer wat opvalt\n"
            "Bereid reflectievragen voor over eigenaarschap en kaders"
        ),
        "prep_schoolleider": (
            "Verzamel de doelen van de teams\n"
            "Bedenk waar u zelf wilt loslaten en waar u kaders wilt stellen"
        ),
        "links": LINK_APPROACH,
    },
    {
        "number": 4,
        "phase": Phase.CONTINU,
        "title": "Continu verbeteren: het normale werk borgen",
        "themes": [
            Theme.BOARD_SESSION,
            Theme.LESSON_DESIGN,
            Theme.LESSON_VISIT,
            Theme.STUDENT_VOICE,
        ],
        "goal": (
            "Samen verbeteren is de gewone manier van werken geworden: leerlingen zijn eraan "
            "gewend en nieuwe leraren passen zich snel aan. Deze fase kan na een half jaar komen "
            "of pas na twee jaar. Het gesprek gaat over borgen: hoe blijft het ritme overeind bij "
            "wisselingen in het team, en hoe leert de school van andere leerKRACHT-scholen?"
        ),
        "questions": (
            "- Wat gebeurt er als een schoolcoach vertrekt of een nieuwe leraar begint?\n"
            "- Hoe worden nieuwe collega's ingewerkt in bordsessie, lesontwerp en lesbezoek?\n"
            "- Welke resultaten voor leerlingen laten zien dat de aanpak werkt?\n"
            "- Met welke scholen in de regio wisselt de school ervaringen uit?\n"
            "- Wat heeft de school nog van de expertcoach nodig, en wanneer niet meer?"
        ),
        "prep_mentor": "Zet de ontwikkeling van de school over de fases op een rij",
        "prep_schoolleider": (
            "Schrijf op hoe nieuwe collega's nu worden ingewerkt\n"
            "Kies twee resultaten voor leerlingen om te bespreken"
        ),
        "links": LINK_APPROACH,
    },
]


def default_guides(kind: str) -> list[dict]:
    """The default guides for a program kind (a fresh list of dicts on every call)."""
    source = MENTORING if kind == ProgramKind.MENTOR_LEADER else COACH
    return [dict(spec, themes=[str(t) for t in spec["themes"]]) for spec in source]
