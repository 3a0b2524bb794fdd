"""Words the generator draws from: skills, industries, cities, names."""

BASE_SKILLS = """
python django flask fastapi postgresql mysql sqlite redis kafka rabbitmq elasticsearch mongodb
javascript typescript react vue angular svelte htmx css tailwind html node.js deno graphql rest
go rust java kotlin scala swift objective-c c c++ c# .net ruby rails php laravel elixir erlang
haskell clojure r julia matlab sql dbt airflow spark hadoop snowflake bigquery pandas numpy
pytorch tensorflow scikit-learn machine-learning deep-learning nlp computer-vision llm
data-engineering data-science statistics analytics product-analytics a/b-testing experimentation
aws gcp azure kubernetes docker terraform ansible linux devops sre observability prometheus
grafana security penetration-testing cryptography networking embedded firmware fpga robotics
ios android flutter react-native mobile ui-design ux-research figma product-design branding
illustration motion-design copywriting content-marketing seo sem growth-marketing email-marketing
social-media community-management public-relations b2b-sales enterprise-sales sales-ops
customer-success account-management business-development partnerships fundraising
financial-modeling accounting bookkeeping tax legal compliance regulatory-affairs hr recruiting
people-ops operations supply-chain logistics procurement manufacturing hardware mechanical-engineering
electrical-engineering civil-engineering chemistry biology bioinformatics clinical-research
healthcare medical-devices pharma energy solar batteries climate agriculture food-science
education curriculum-design game-design unity unreal blockchain solidity smart-contracts web3
payments fintech insurance real-estate e-commerce shopify marketplaces saas pricing
product-management project-management agile scrum technical-writing documentation qa
test-automation selenium playwright performance-tuning distributed-systems microservices
api-design system-design open-source leadership mentoring public-speaking strategy
""".split()

DOMAINS = """
fintech healthtech edtech climate logistics retail gaming media travel proptech legal hr
biotech agritech insurtech mobility energy security robotics space
""".split()

DISCIPLINES = """
operations compliance sales marketing analytics partnerships product research design support
strategy finance engineering
""".split()

INDUSTRIES = """
fintech healthtech edtech climate logistics retail gaming media travel proptech legaltech hrtech
biotech agritech insurtech mobility energy cybersecurity robotics spacetech devtools ai saas
marketplaces consumer
""".split()

CITIES = """
Berlin London Paris Amsterdam Lisbon Madrid Barcelona Stockholm Copenhagen Helsinki Dublin
Zurich Munich Vienna Warsaw Prague Tallinn Milan Rome Athens Istanbul Tel-Aviv Dubai Bangalore
Singapore Tokyo Seoul Sydney Toronto Montreal New-York Boston Austin San-Francisco Seattle
Chicago Miami Mexico-City Sao-Paulo Buenos-Aires Lagos Nairobi Cape-Town Cairo Remote
""".split()

FIRST_NAMES = """
ada alan alice amara ana andrea arjun aya ben bilal carla chen chloe dan daria david diego
elena emma eric fatima felix gabriel grace hana hugo ines ivan jack jade james jin joao julia
kai karim kate kenji lara leo lina lucas maya mei mia mohamed nadia nina noah olga omar oscar
paula priya rafael rosa sam sara sofia tariq theo tom uma victor wei yara yusuf zoe
""".split()

LAST_NAMES = """
adams ali andersen baker banerjee becker brown chen costa cruz das diaz dubois evans fischer
garcia gomez gupta hansen hoffmann ivanova jensen johnson kim kowalski kumar lee lopez martin
meyer miller moreau muller nakamura nguyen novak okafor olsen park patel perez petrov rossi
santos schmidt silva singh smith sousa suzuki tanaka taylor torres wagner wang weber wilson
yamamoto zhang
""".split()

NAME_PARTS = """
nova flux orbit pixel quant lumen vertex nimbus cobalt ember atlas zenith helix prism kinetic
aurora beacon cipher delta echo fable glyph harbor ion jet karma lattice metric nexus onyx
pulse quill rally sonar tidal umbra vivid wave xeno yield zephyr
""".split()

NAME_SUFFIXES = "labs ai hq io works stack cloud health pay ly base hub ops".split()

HEADLINES = (
    "{skill} engineer", "senior {skill} developer", "{skill} specialist", "founder building in {industry}",
    "{skill} lead", "freelance {skill} consultant", "angel investor in {industry}", "{industry} operator",
)

OPPORTUNITY_TITLES = (
    "Senior {skill} engineer", "{skill} developer", "Head of {skill}", "{skill} intern",
    "Founding {skill} engineer", "{skill} contractor", "{skill} advisor", "Lead {skill} designer",
)

MEMBER_ROLES = ("founder", "co-founder", "cto", "engineer", "designer", "operations")


def skill_names(count: int = 400) -> list[str]:
    """Return `count` distinct skill names, most popular first."""
    names = list(dict.fromkeys(BASE_SKILLS))
    for discipline in DISCIPLINES:
        for domain in DOMAINS:
            names.append(f"{domain} {discipline}")
    names = list(dict.fromkeys(names))
    if len(names) < count:
        raise ValueError(f"only {len(names)} skill names available")
    return names[:count]
