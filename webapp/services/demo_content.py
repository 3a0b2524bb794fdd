"""The raw material of the demo community: people, startups and their openings (fictional)."""

NAMES = (
    "Maya Chen", "Jonas Weber", "Amara Okafor", "Lucas Moreau", "Priya Raman", "Daniel Kowalski",
    "Sofia Álvarez", "Kenji Watanabe", "Hannah Fischer", "Omar Haddad", "Chloé Martin", "Tomás Silva",
    "Aisha Bello", "Erik Lindqvist", "Grace Mensah", "Rafael Costa", "Leila Karimi", "Noah Bennett",
    "Ingrid Solberg", "Arjun Mehta", "Fatima Idrissi", "Mateo Rossi", "Yuki Tanaka", "Zoë van Dijk",
    "Samuel Adeyemi", "Elena Petrova", "Ravi Iyer", "Clara Schmidt", "Diego Herrera", "Nadia Rahman",
    "Felix Braun", "Wanjiru Kamau", "Liam O'Connor", "Mei Wong", "Hugo Lefebvre", "Anika Sharma",
    "Tobias Nilsson", "Carmen Ruiz", "Kwame Asante", "Julia Novak", "Ethan Park", "Sara Cohen",
    "Marco Bianchi", "Olivia Grant", "Ibrahim Yusuf", "Lena Hoffmann", "Benjamin Clarke", "Ana Ferreira",
    "David Levi", "Isabel Navarro",
)

LOCATIONS = (
    "Berlin, Germany", "London, UK", "Lisbon, Portugal", "San Francisco, CA", "New York, NY",
    "Toronto, Canada", "Bangalore, India", "Nairobi, Kenya", "Amsterdam, Netherlands", "Paris, France",
    "Stockholm, Sweden", "Austin, TX", "Singapore", "Remote (EU time zones)", "Lagos, Nigeria",
)

# Fictional employers for bios.
COMPANIES = (
    "Brightwave", "Northpeak", "Kestrel Labs", "Orbital Health", "Fernway", "Quillon",
    "Tidewater Systems", "Cobalt Analytics", "Arbor & Co", "Lumen Retail", "Saltmarsh Games", "Meridian Bank",
)

# archetype: (headlines, skill pool, what they do, what they look for)
TALENT = {
    "backend": (
        ("Backend engineer — Python & PostgreSQL", "Senior backend engineer who likes boring, reliable systems",
         "Go and distributed-systems engineer"),
        ("python", "django", "flask", "postgresql", "redis", "go", "kafka", "aws", "docker"),
        "building APIs and data-heavy backends", "a senior backend",
    ),
    "frontend": (
        ("Frontend engineer, React & TypeScript", "Design-minded frontend developer",
         "Accessibility nerd and frontend engineer"),
        ("javascript", "typescript", "react", "css", "vue", "accessibility", "next.js"),
        "shipping fast, accessible interfaces", "a frontend",
    ),
    "fullstack": (
        ("Full-stack engineer shipping end-to-end features", "Generalist engineer, product-minded",
         "Full-stack developer, happiest at early stage"),
        ("typescript", "react", "node.js", "python", "postgresql", "graphql", "aws"),
        "taking features from sketch to production", "a founding engineer",
    ),
    "data": (
        ("Machine learning engineer (NLP)", "Data scientist turning messy data into decisions",
         "ML engineer, from notebooks to production"),
        ("python", "machine learning", "pytorch", "sql", "nlp", "data engineering", "spark", "statistics"),
        "putting models into production", "an ML or data",
    ),
    "design": (
        ("Product designer, ex-agency", "UX researcher and product designer", "Designer who codes a little"),
        ("figma", "product design", "ux research", "design systems", "prototyping", "illustration"),
        "designing products people understand at first sight", "a product design",
    ),
    "mobile": (
        ("iOS engineer", "Mobile engineer — Kotlin and Swift", "React Native developer"),
        ("swift", "kotlin", "ios", "android", "react native", "firebase"),
        "building mobile apps with millions of installs", "a mobile",
    ),
    "platform": (
        ("Platform engineer, Kubernetes & Terraform", "SRE who loves a good postmortem",
         "Infrastructure engineer"),
        ("kubernetes", "terraform", "aws", "observability", "ci/cd", "linux", "go"),
        "keeping production calm", "a platform or SRE",
    ),
    "product": (
        ("Product manager, B2B SaaS", "Technical PM with an engineering background", "Product lead"),
        ("product management", "roadmapping", "analytics", "user research", "sql"),
        "finding what to build next", "a product",
    ),
    "growth": (
        ("Growth marketer for early-stage startups", "Content and SEO lead", "Performance marketer"),
        ("growth", "seo", "content marketing", "analytics", "copywriting", "paid acquisition"),
        "growing products from zero to their first 100k users", "a growth",
    ),
    "operations": (
        ("Operations generalist, the startup #1 hire type", "Sales lead for developer tools",
         "Customer success manager"),
        ("operations", "sales", "partnerships", "customer success", "hiring", "finance"),
        "making messy teams run smoothly", "an operations or sales",
    ),
}

FUNDS = (
    "Partner at Northstar Ventures", "General Partner, Fieldwork Capital", "Angel investor, ex-CTO at Kestrel Labs",
    "Principal at Blue Harbor VC", "Partner at Lattice Partners", "Seed investor at Small Batch Fund",
    "Angel investor and two-time founder",
)
INDUSTRIES = (
    "fintech", "climate", "health", "edtech", "logistics", "developer tools", "foodtech", "proptech",
    "cybersecurity", "hr tech", "iot",
)

# (name, tagline, industry, stage, location, currency, skills needed, openings)
# opening: (title, type, skills)
STARTUPS = (
    ("Ledgerly", "Bookkeeping that closes itself", "fintech", "seed", "Berlin, Germany", "€",
     ("python", "django", "postgresql", "react", "accounting"),
     (("Senior Backend Engineer (Python)", "full_time", ("python", "django", "postgresql")),
      ("Product Designer", "full_time", ("figma", "product design", "ux research")),
      ("Accounting Integrations Engineer", "contract", ("python", "api design", "accounting")))),
    ("GridPulse", "Real-time carbon signals for the power grid", "climate", "series_a", "Copenhagen, Denmark", "€",
     ("go", "kubernetes", "data engineering", "timescaledb", "python"),
     (("Data Engineer", "full_time", ("python", "data engineering", "kafka", "timescaledb")),
      ("Site Reliability Engineer", "full_time", ("kubernetes", "go", "observability")),
      ("Energy Markets Analyst Intern", "internship", ("python", "sql", "statistics")))),
    ("Carebridge", "Care coordination for home-health teams", "health", "pre_seed", "Toronto, Canada", "CA$",
     ("typescript", "react native", "node.js", "hipaa", "product design"),
     (("Founding Mobile Engineer", "full_time", ("react native", "typescript", "node.js")),
      ("Technical Co-founder (CTO)", "cofounder", ("typescript", "node.js", "hipaa")),
      ("Clinical Advisor", "advisor", ("healthcare", "operations")))),
    ("Tutorly", "AI tutoring that adapts to every student", "edtech", "seed", "London, UK", "£",
     ("python", "machine learning", "pytorch", "react", "nlp"),
     (("Machine Learning Engineer (NLP)", "full_time", ("python", "nlp", "pytorch")),
      ("Frontend Engineer", "full_time", ("react", "typescript", "accessibility")),
      ("Learning Science Advisor", "advisor", ("user research", "education")))),
    ("Shipshape", "Freight visibility for small shippers", "logistics", "series_a", "Rotterdam, Netherlands", "€",
     ("java", "kotlin", "postgresql", "kafka", "aws"),
     (("Senior Kotlin Engineer", "full_time", ("kotlin", "java", "postgresql")),
      ("Platform Engineer", "full_time", ("aws", "terraform", "kafka")),
      ("Account Executive", "full_time", ("sales", "partnerships")))),
    ("Stackwise", "Preview environments for every pull request", "developer tools", "seed", "San Francisco, CA",
     "$", ("go", "kubernetes", "terraform", "rust", "aws"),
     (("Founding Infrastructure Engineer", "full_time", ("go", "kubernetes", "terraform")),
      ("Rust Engineer, Build Systems", "full_time", ("rust", "linux")),
      ("Developer Advocate", "part_time", ("content marketing", "kubernetes", "go")))),
    ("Harvest Loop", "Surplus food from farms to kitchens", "foodtech", "idea", "Lisbon, Portugal", "€",
     ("react", "node.js", "marketplace", "operations"),
     (("Technical Co-founder", "cofounder", ("react", "node.js", "postgresql")),
      ("Operations Lead (part-time)", "part_time", ("operations", "logistics")))),
    ("Nestfolio", "Fractional ownership of rental homes", "proptech", "pre_seed", "Austin, TX", "$",
     ("typescript", "react", "postgresql", "compliance", "sales"),
     (("Full-stack Engineer", "full_time", ("typescript", "react", "postgresql")),
      ("Compliance Advisor", "advisor", ("compliance", "finance")))),
    ("Vaultline", "Zero-trust access for mid-size companies", "cybersecurity", "series_b_plus", "Tel Aviv, Israel",
     "$", ("rust", "go", "security", "kubernetes", "sales"),
     (("Staff Security Engineer", "full_time", ("rust", "security", "go")),
      ("Enterprise Sales Director", "full_time", ("sales", "partnerships")),
      ("Detection Engineering Intern", "internship", ("python", "security", "linux")))),
    ("Hirewell", "Structured interviews without the spreadsheets", "hr tech", "seed", "New York, NY", "$",
     ("ruby on rails", "react", "postgresql", "product design"),
     (("Senior Rails Engineer", "full_time", ("ruby on rails", "postgresql", "react")),
      ("Senior Product Designer", "full_time", ("figma", "product design", "design systems")),
      ("Customer Success Manager", "full_time", ("customer success", "operations")))),
    ("Pollen Analytics", "Product analytics for hardware makers", "iot", "pre_seed", "Stockholm, Sweden", "€",
     ("c++", "embedded", "python", "data engineering"),
     (("Embedded Software Engineer", "full_time", ("c++", "embedded", "python")),
      ("Data Platform Engineer", "contract", ("data engineering", "python", "aws")))),
    ("Medlytics", "Clinical trial matching with language models", "health", "series_a", "Boston, MA", "$",
     ("python", "nlp", "machine learning", "fhir", "aws"),
     (("NLP Research Engineer", "full_time", ("python", "nlp", "machine learning")),
      ("FHIR Integration Engineer", "contract", ("fhir", "python", "aws")),
      ("Product Manager, Clinical", "full_time", ("product management", "healthcare", "analytics")))),
    ("Kinship Pay", "Cross-border payments for diaspora families", "fintech", "pre_seed", "Nairobi, Kenya", "$",
     ("kotlin", "android", "go", "compliance", "growth"),
     (("Android Engineer", "full_time", ("kotlin", "android")),
      ("Growth Lead", "full_time", ("growth", "analytics", "paid acquisition")))),
    ("Looma", "A collaborative whiteboard for remote classrooms", "edtech", "idea", "Bangalore, India", "₹",
     ("typescript", "webrtc", "react", "product design"),
     (("Founding Engineer (WebRTC)", "cofounder", ("webrtc", "typescript", "react")),
      ("UX Research Intern", "internship", ("ux research", "figma")))),
    ("Canopy Climate", "Forest carbon credits you can verify from space", "climate", "seed",
     "Amsterdam, Netherlands", "€", ("python", "remote sensing", "machine learning", "postgis", "react"),
     (("Remote Sensing Scientist", "full_time", ("python", "remote sensing", "machine learning")),
      ("Backend Engineer (Geo)", "full_time", ("python", "postgis", "postgresql")),
      ("Frontend Engineer (Maps)", "contract", ("react", "typescript", "mapbox")))),
)

DESCRIPTIONS = {
    "fintech": "Money software should be invisible: fast, cheap and correct, for everyone who depends on it.",
    "climate": "Decarbonisation needs better data; we measure what others estimate.",
    "health": "Clinicians spend too much time on admin. We give that time back to patients.",
    "edtech": "Every learner deserves a patient, personal teacher — we are building one.",
    "logistics": "Small shippers still track freight by email. We give them the visibility big carriers have.",
    "developer tools": "Engineers should review running software, not just diffs.",
    "foodtech": "A third of food is wasted before it reaches a plate. We route it to kitchens instead.",
    "proptech": "Real estate is the largest asset class most people cannot own a piece of.",
    "cybersecurity": "VPNs were built for offices. We secure people and devices wherever they work.",
    "hr tech": "Hiring decisions deserve the same rigour as product decisions.",
    "iot": "Hardware teams ship blind after launch. We show them how devices are really used.",
}

TYPE_BLURBS = {
    "full_time": "Full-time, with meaningful equity.",
    "part_time": "Around 20 hours a week, flexible hours.",
    "contract": "A 3–6 month contract with the option to extend.",
    "internship": "A paid 3–6 month internship with a dedicated mentor.",
    "cofounder": "An equity-heavy co-founder role; we split the company fairly.",
    "advisor": "A few hours a month, compensated with advisory shares.",
}

NOTES = (
    "Hi! I've followed {startup} for a while, and {skill} is what I do every day.",
    "I'd love to help {startup} with {skill}. Portfolio and references on request.",
    "Applying for the {title} role. Happy to start with a short paid trial project.",
    "{startup}'s mission resonates with me; I bring several years of {skill}.",
)

FEEDBACK = {
    "shortlisted": "Great first call — next step is a conversation with the team.",
    "accepted": "Welcome aboard! We will send the offer details by email.",
    "rejected": "Thank you for your time. We went with someone with more {skill} experience this time.",
}

# Status paths an application may follow after `submitted`, with their weights.
STATUS_PATHS = (
    ((), 30), (("reviewing",), 18), (("reviewing", "shortlisted"), 14),
    (("reviewing", "shortlisted", "accepted"), 10), (("reviewing", "rejected"), 14),
    (("rejected",), 6), (("withdrawn",), 8),
)
