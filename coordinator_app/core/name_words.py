"""Word lists the redactor and the privacy review read (``core/privacy.py``), all folded (lower
case, no accents).

- ``TITLES``: words written before a surname ("Mr Smith", "Dr. Smith"); hidden with the name
  they stand before, never a name on their own.
- ``PARTICLES``: parts of surnames that are not names on their own ("van der Berg", "O'Neill",
  "de la Cruz"); hidden only as part of the name they stand before.
- ``ORDINARY_WORDS``: names that are also everyday English words ("Will", "Hope", "Ward").
  What leaves the app hides them in any case all the same (docs/monthly-return.md); only
  anonymising, which rewrites the records for good, replaces them just where they are written
  with a capital, so "the ward will reopen" survives anonymising "Will Ward".
- ``GIVEN_NAMES``: common first names in the UK, for the privacy review's "still looks like it
  names someone" (a name of somebody who is not on the participants list). Words that are also
  ordinary words are left out of it, so "Will" or "Grace" in a sentence is not flagged.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The words of ``text``, one set (lists below are written as text to read easily)."""
    return frozenset(text.split())


TITLES = words("mr mrs ms miss mx dr doctor prof professor sir dame lady lord rev revd cllr")

PARTICLES = words(
    "o d l de la le les du des da di del della van von der den ten ter al el bin ibn mac mc st"
    " ap ni nic ua y"
)

ORDINARY_WORDS = words("""
    will hope may rose grace mark bill joy faith dawn frank jack pat sue rob ray guy earl
    gene lance miles chase hunter summer amber april june august holly ivy daisy poppy violet
    lily iris heather olive hazel jade ruby pearl crystal sky river rain storm autumn
    charity patience prudence constance honor honour felicity destiny justice harmony melody
    sunny rusty dusty sandy penny bunny buck drew jean kit nick norman sterling
    ward hall wood green white brown black grey gray young king hill turner walker baker
    cook cooper parker mason carter hunt chambers ball lamb west north east south long
    mills bird church street lane field marsh page price fox swift rich best strong little
    small short day knight bishop dean bell rice wise wild bush ford french english
    grant may moss stone pool banks bank brook brooks rivers waters mann miller
    fisher butler porter shepherd gardener cross bright love lord noble gold
    silver frost snow winter spring sharp sweet young good fair free hale hardy jolly
    """)

GIVEN_NAMES = (
    words("""
    aaliyah aarav abbie abdul abdullah abena abigail adam adele adrian agnes agnieszka ahmed
    aidan aileen aisha alan alastair albert alec alexander alexandra alfie ali alice alicia
    alison amanda amelia amir amit amrit amy andrea andrew andy angela anita ann anna anne
    annette anthony antonio aoife archie arjun arthur ashley aston audrey ava ayesha barbara
    barry beatrice ben benjamin bernard beth bethany beverley bilal bob bobby bradley brenda
    brian bridget bronwen bruce callum cameron carl carla carmen caroline catherine cerys
    charles charlie charlotte chidi chloe chris christine christopher ciara ciaran claire
    clare colin connor craig dafydd daniel danielle darren david debbie deborah declan delroy
    denise dennis derek diane donna dorota dorothy douglas duncan dylan edward efua eileen
    eilidh eleanor elena elizabeth ella ellie emily emma eric erin ethan evelyn farah fatima
    fiona freddie freya gareth gary gavin gemma geoffrey george georgina gerald gillian gordon
    graham gurpreet hannah harpreet harriet harry harvey helen henry hui hussain ian imran
    irena isaac isabel isabella isla jacob james jamie jane janet jasmine jason jayden jennifer
    jenny jeremy jessica jim jimmy joan joanne jodie joe joel john johnny jonathan jose joseph
    josh joshua joyce judith julia julian julie karen kate katherine kathleen katie kayleigh
    keith kelly kenneth kevin kieran kirsty kofi krzysztof kwame laura lauren lee leo leon
    lewis liam linda lindsay lisa louise lowri lucas lucy luke lukasz lynn lynne mairead
    malcolm mandy margaret maria marian marie marek marion martha martyn mary matthew maureen
    megan mei melanie michael michelle mohammed mohammad molly muhammad nadia naomi natalie
    natasha neil ngozi niamh nicola nigel noah oliver olivia olumide owain owen pamela paul
    paula pauline peter philip phillip priya rachel raj rajesh rebecca rhiannon rhys richard
    robert robin roger ronald ross ruth ryan sadia sally samantha samira samuel sandra sara
    sarah scott sean shane sharon sheila shirley simon sinead sian siobhan sophie stacey
    stephanie stephen steve steven stuart sunita susan suzanne tariq teresa theo thomas
    tim timothy tina tom tomas tony tracey tracy trevor vanessa vicky victoria vincent
    wayne wei wendy william winston yasmin yusuf zara zoe zainab
    """)
    - ORDINARY_WORDS
)
