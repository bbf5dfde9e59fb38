"""Demo data: Finnish and Dutch customers, their people, deals and conversation logs.

Runs after alignment's demo: links to `ctx.shared["themes"]` / `["campaigns"]` when
they exist, and leaves `ctx.shared["accounts"]` for the apps after it. Everything is
written through the services, so the demo obeys the same rules as the reps.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from .models import Account, Conversation, Opportunity, OpportunityStageChange
from .services.accounts import create_account, create_contact
from .services.conversations import log_conversation
from .services.opportunities import create_opportunity, update_opportunity

# key: (name, industry, segment, country, owner, website, contacts[(name, title, email)])
ACCOUNTS = {
    "virtanen": (
        "Konepaja Virtanen Oy",
        "Machine shop",
        "Manufacturing SME",
        "FI",
        "sam",
        "https://konepajavirtanen.example.fi",
        [
            ("Jari Virtanen", "Toimitusjohtaja", "jari.virtanen@konepajavirtanen.example.fi"),
            ("Heidi Salo", "Myyntipäällikkö", "heidi.salo@konepajavirtanen.example.fi"),
        ],
    ),
    "lapin": (
        "Lapin Teräsrakenne Oy",
        "Steel structures",
        "Manufacturing SME",
        "FI",
        "sanna",
        "https://lapinterasrakenne.example.fi",
        [("Pekka Niemi", "Tuotantojohtaja", "pekka.niemi@lapinterasrakenne.example.fi")],
    ),
    "savon": (
        "Savon Saha Oy",
        "Sawmill",
        "Process industry",
        "FI",
        "sam",
        "https://savonsaha.example.fi",
        [
            ("Kaisa Heikkinen", "Tehtaanjohtaja", "kaisa.heikkinen@savonsaha.example.fi"),
            ("Timo Koskinen", "Kunnossapitopäällikkö", "timo.koskinen@savonsaha.example.fi"),
        ],
    ),
    "hameen": (
        "Hämeen Elintarvike Oy",
        "Food processing",
        "Process industry",
        "FI",
        "sanna",
        "https://hameenelintarvike.example.fi",
        [("Laura Mäkelä", "Talousjohtaja", "laura.makela@hameenelintarvike.example.fi")],
    ),
    "pohjanmaan": (
        "Pohjanmaan Koneenrakennus Oy",
        "Machine builder",
        "Machine builders",
        "FI",
        "sam",
        "https://pohjanmaankone.example.fi",
        [("Antti Rantala", "Huoltojohtaja", "antti.rantala@pohjanmaankone.example.fi")],
    ),
    "vandijk": (
        "Van Dijk Groothandel B.V.",
        "Wholesale",
        "Wholesale NL",
        "NL",
        "daan",
        "https://vandijkgroothandel.example.nl",
        [
            ("Eva van Dijk", "Directeur", "eva@vandijkgroothandel.example.nl"),
            ("Ruud Smit", "Hoofd inkoop", "ruud.smit@vandijkgroothandel.example.nl"),
        ],
    ),
    "deboer": (
        "De Boer Technische Handel B.V.",
        "Technical wholesale",
        "Wholesale NL",
        "NL",
        "daan",
        "https://deboertechniek.example.nl",
        [("Mark de Boer", "Commercieel directeur", "mark@deboertechniek.example.nl")],
    ),
    "meijer": (
        "Meijer Machinebouw B.V.",
        "Machine builder",
        "Machine builders",
        "NL",
        "daan",
        "https://meijermachinebouw.example.nl",
        [
            ("Lotte Meijer", "Manager service", "lotte.meijer@meijermachinebouw.example.nl"),
            ("Bram Kok", "Werkvoorbereider", "bram.kok@meijermachinebouw.example.nl"),
        ],
    ),
    "visser": (
        "Visser Verpakkingen B.V.",
        "Packaging",
        "Process industry",
        "NL",
        "daan",
        "https://visserverpakkingen.example.nl",
        [("Sanne Visser", "Operationeel manager", "sanne@visserverpakkingen.example.nl")],
    ),
    "westland": (
        "Westland Tuinbouw Toelevering B.V.",
        "Horticulture supplies",
        "Wholesale NL",
        "NL",
        "daan",
        "https://westlandtoelevering.example.nl",
        [("Johan Bakker", "Eigenaar", "johan@westlandtoelevering.example.nl")],
    ),
}

# account, owner, name, source, amount, campaign index or None, stages walked, lost reason
OPPORTUNITIES = [
    (
        "virtanen",
        "sam",
        "Tarjouslaskennan automaatio",
        "marketing",
        38000,
        0,
        ["lead", "qualified", "proposal"],
        "",
    ),
    (
        "lapin",
        "sanna",
        "Hitsaustuotannon kustannuslaskenta",
        "sales",
        22000,
        None,
        ["lead", "qualified", "proposal", "negotiation", "won"],
        "",
    ),
    (
        "savon",
        "sam",
        "Kuivaamon energiamittaus",
        "marketing",
        54000,
        3,
        ["lead", "qualified", "proposal", "negotiation"],
        "",
    ),
    (
        "hameen",
        "sanna",
        "Linjan energiaseuranta",
        "referral",
        17500,
        None,
        ["lead", "qualified", "lost"],
        "Valitsivat nykyisen automaatiotoimittajansa lisämoduulin.",
    ),
    ("pohjanmaan", "sam", "Huoltosopimusmalli", "partner", 61000, None, ["lead", "qualified"], ""),
    (
        "vandijk",
        "daan",
        "Spoedorder-margescan",
        "marketing",
        28000,
        1,
        ["lead", "qualified", "proposal"],
        "",
    ),
    (
        "deboer",
        "daan",
        "Offertemodule technische handel",
        "sales",
        45000,
        None,
        ["lead", "qualified", "proposal", "negotiation", "won"],
        "",
    ),
    ("meijer", "daan", "Servicecontracten machinebouw", "marketing", 72000, 2, ["lead"], ""),
    (
        "westland",
        "daan",
        "Digitale orderformulieren",
        "sales",
        12500,
        None,
        ["lead", "qualified", "lost"],
        "Budget is naar de nieuwe kassenbouw gegaan; over een jaar opnieuw.",
    ),
]

# account, author, days ago, channel, goal, discussed, insight, theme idx, reaction,
# objections, campaign idx, known, outcome, next step, due in days (from today), status
CONVERSATIONS = [
    (
        "virtanen",
        "sam",
        12,
        "meeting",
        "Jari haluaa lyhentää tarjousten läpimenoaikaa, koska menettää pieniä tilauksia nopeammille kilpailijoille.",
        "Kävimme läpi kolme viimeisintä tarjousta: jokaiseen kului kaksi päivää, koska kustannukset lasketaan Excelissä käsin.",
        "Kerroin, että ensimmäisenä vastaava voittaa noin 60 % pienistä tilauksista, joten hitaus maksaa enemmän kauppoina kuin tunteina.",
        0,
        "Jari yllättyi luvusta ja pyysi vertailutiedot omalle toimialalleen.",
        ["integraatio ERP:hen"],
        None,
        True,
        "advanced",
        "Lähetän toimialan vertailuluvut ja ehdotan työpajaa Heidin kanssa.",
        -5,
        "complete",
    ),
    (
        "virtanen",
        "sam",
        3,
        "video",
        "Heidi haluaa, että myyjät voivat antaa hinta-arvion jo asiakaskäynnillä.",
        "Demosimme tarjouslaskurin heidän omilla nimikkeillään ja kävimme läpi hinnoittelusäännöt.",
        "Näytimme, miten hinnoittelusäännöt voi pitää keskitetysti ajan tasalla ilman Exceliä.",
        0,
        "Heidi piti demoa selkeänä, mutta kysyi, kuka ylläpitää nimikkeistöä.",
        ["ylläpitotyö", "hinta"],
        0,
        True,
        "advanced",
        "Teen pilottitarjouksen kahdella hintavaihtoehdolla Jarille.",
        2,
        "complete",
    ),
    (
        "lapin",
        "sanna",
        20,
        "meeting",
        "Pekka haluaa tietää, mitkä hitsaustyöt ovat oikeasti kannattavia.",
        "Kävimme läpi jälkilaskennan: tunnit kirjataan paperille ja syötetään viikon viiveellä.",
        "Kerroin, että reaaliaikainen jälkilaskenta paljastaa tyypillisesti 10–15 % tappiollisia töitä.",
        0,
        "Pekka sanoi, että epäilee samaa omista pienistä sarjatöistään.",
        [],
        None,
        True,
        "won",
        "",
        None,
        "complete",
    ),
    (
        "savon",
        "sam",
        9,
        "meeting",
        "Kaisa haluaa pienentää kuivaamon energiakuluja, jotka ovat nyt suurempi kuluerä kuin palkat.",
        "Kävimme kuivaamon läpi Timon kanssa ja katsoimme kahden kuukauden energialaskut.",
        "Toin esiin, että energia per erä -mittaus paljastaa yleensä 8–12 % säästöt ajoituksesta.",
        1,
        "Kaisa kiinnostui, mutta Timo epäili, riittävätkö nykyiset anturit.",
        ["anturit", "investointi"],
        3,
        True,
        "advanced",
        "Sovin Timon kanssa mittauspäivän ja lähetän anturilistan etukäteen.",
        -2,
        "complete",
    ),
    (
        "savon",
        "sam",
        1,
        "call",
        "Timo haluaa varmistaa, että mittaus ei häiritse tuotantoa.",
        "Puhuimme mittauspäivän aikataulusta ja siitä, mitkä kuivauskammiot mitataan ensin.",
        "",
        None,
        "",
        [],
        None,
        True,
        "",
        "",
        None,
        "draft",
    ),
    (
        "hameen",
        "sanna",
        30,
        "video",
        "Laura haluaa nähdä linjakohtaiset energiakulut kuukausiraportissa.",
        "Esittelimme energiaseurannan ja kävimme läpi heidän nykyisen raportointinsa.",
        "Kerroin, että linjakohtainen seuranta auttaa hinnoittelemaan energiaintensiiviset tuotteet oikein.",
        1,
        "Laura piti ajatuksesta, mutta automaatiotoimittaja tarjosi samaa lisämoduulina.",
        ["nykyinen toimittaja"],
        None,
        True,
        "lost",
        "",
        None,
        "complete",
    ),
    (
        "hameen",
        "sanna",
        6,
        "call",
        "Laura haluaa silti vertailla, paljonko lisämoduuli oikeasti säästää.",
        "Laura mainitsi saaneensa postissa Nopeampi tarjous -esitteen ja kysyi, koskeeko se heitäkin.",
        "",
        None,
        "Laura oli kiinnostunut esitteen tarjouksesta, vaikka en tiennyt kampanjasta etukäteen.",
        ["hinta"],
        0,
        False,
        "no_change",
        "Selvitän markkinoinnilta kampanjan ehdot ja soitan Lauralle takaisin.",
        1,
        "complete",
    ),
    (
        "pohjanmaan",
        "sam",
        15,
        "meeting",
        "Antti haluaa kasvattaa huoltoliiketoimintaa, koska konemyynti vaihtelee suhdanteiden mukaan.",
        "Kävimme läpi nykyiset huoltokäynnit: ne myydään tapauskohtaisesti ilman sopimuksia.",
        "Kerroin, että koneenrakentajat, joilla on huoltosopimukset, saavat kolmanneksen liikevaihdosta huollosta.",
        3,
        "Antti kiinnostui kovasti ja pyysi esimerkkisopimuksen.",
        ["asiakkaiden hintaherkkyys"],
        None,
        True,
        "advanced",
        "Lähetän esimerkkisopimuksen ja hinnoittelumallin Antille.",
        -1,
        "complete",
    ),
    (
        "vandijk",
        "daan",
        10,
        "meeting",
        "Eva wil weten waarom de marge op spoedorders steeds lager uitvalt.",
        "We hebben de spoedorders van het laatste kwartaal doorgenomen met Ruud van inkoop.",
        "Ik liet zien dat groothandels gemiddeld 4 procentpunt marge verliezen op spoedorders door handmatige prijzen.",
        2,
        "Eva herkende het direct en wil de cijfers voor haar eigen bedrijf zien.",
        ["tijd van het team"],
        None,
        True,
        "advanced",
        "Ik stuur de margescan en plan een sessie met Ruud in.",
        -3,
        "complete",
    ),
    (
        "vandijk",
        "daan",
        2,
        "call",
        "Ruud wil de margescan vóór de volgende inkoopronde afronden.",
        "Ruud vertelde dat hij een uitnodiging voor het webinar Groothandel Live had ontvangen en vroeg of wij dat organiseren.",
        "",
        2,
        "Ruud was positief over het webinar; ik wist nog niet dat de uitnodigingen al verstuurd waren.",
        [],
        1,
        False,
        "advanced",
        "Ik meld Ruud aan voor het webinar en stuur de agenda door.",
        3,
        "complete",
    ),
    (
        "deboer",
        "daan",
        25,
        "meeting",
        "Mark wil offertes voor technische producten binnen één dag de deur uit hebben.",
        "We hebben de offerteflow bekeken: drie afdelingen moeten nu akkoord geven.",
        "Ik heb uitgelegd dat de eerste offerte bij kleine orders in 60 procent van de gevallen wint.",
        0,
        "Mark was overtuigd en wilde meteen over de planning praten.",
        ["implementatietijd"],
        None,
        True,
        "won",
        "",
        None,
        "complete",
    ),
    (
        "meijer",
        "daan",
        4,
        "video",
        "Lotte wil de servicetak winstgevend maken, nu gaan monteurs op ad-hoc basis op pad.",
        "We bespraken hoe service nu wordt gefactureerd en hoeveel bezoeken er per machine zijn.",
        "Ik liet zien hoe een servicecontract met twee bezoeken per jaar de planning voorspelbaar maakt.",
        3,
        "Lotte vond het interessant, Bram twijfelde of klanten vooruit willen betalen.",
        ["vooruitbetaling"],
        2,
        True,
        "advanced",
        "Ik stuur een rekenvoorbeeld voor hun drie grootste klanten.",
        6,
        "complete",
    ),
    (
        "visser",
        "daan",
        2,
        "call",
        "Sanne wil het energieverbruik per productielijn inzichtelijk maken.",
        "Kort gebeld over hun nieuwe verpakkingslijn en de stroomkosten.",
        "",
        None,
        "",
        [],
        None,
        True,
        "",
        "",
        None,
        "draft",
    ),
    (
        "westland",
        "daan",
        40,
        "meeting",
        "Johan wil af van papieren orderformulieren in de winkel.",
        "We hebben de orderstroom bekeken en de risico's van papieren formulieren met klantgegevens.",
        "Ik legde uit dat papieren formulieren met persoonsgegevens een AVG-risico vormen.",
        None,
        "Johan zag het risico, maar het budget gaat dit jaar naar de nieuwe kassen.",
        ["budget"],
        None,
        True,
        "lost",
        "",
        None,
        "complete",
    ),
]


THEME_KEYS = ["quoting", "Energy", "Groothandel", "Service contracts"]
CAMPAIGN_KEYS = ["Nopeampi", "Groothandel Live", "service-contract", "Energiaviikot"]


def _pick(items, keys, index, attr):
    """The shared theme/campaign whose name holds the key for `index`, or None."""
    if index is None:
        return None
    return next(
        (
            item
            for item in items
            # A customer can only have seen a published campaign.
            if keys[index] in getattr(item, attr) and getattr(item, "published_at", True)
        ),
        None,
    )


def _backdate(model, pk, **fields) -> None:
    model.objects.filter(pk=pk).update(**fields)


def _accounts(ctx) -> dict[str, Account]:
    accounts = {}
    for key, (name, industry, segment, country, owner, website, contacts) in ACCOUNTS.items():
        user = ctx.users[owner]
        account = create_account(
            creator=user,
            data={
                "name": name,
                "industry": industry,
                "segment": segment,
                "country": country,
                "website": website,
            },
        )
        for contact_name, title, email in contacts:
            create_contact(
                creator=user,
                data={"account": account, "name": contact_name, "title": title, "email": email},
            )
        accounts[key] = account
    return accounts


def _opportunities(ctx, accounts, campaigns) -> dict[str, Opportunity]:
    opportunities = {}
    for index, (key, owner, name, source, amount, campaign, stages, lost) in enumerate(
        OPPORTUNITIES
    ):
        user = ctx.users[owner]
        start = ctx.now - timedelta(days=60 - index * 3)
        data = {
            "account": accounts[key],
            "name": name,
            "source": source,
            "amount": Decimal(amount),
            "stage": stages[0],
            "campaign": _pick(campaigns, CAMPAIGN_KEYS, campaign, "name"),
        }
        opportunity = create_opportunity(owner=user, data=data)
        for stage in stages[1:]:
            extra = {"lost_reason": lost} if stage == "lost" else {}
            opportunity = update_opportunity(
                opportunity=opportunity, editor=user, data={"stage": stage, **extra}
            )
        # Spread the stage changes over the weeks since creation (cycle lengths).
        changes = list(OpportunityStageChange.objects.filter(opportunity=opportunity))
        step = timedelta(days=max(1, (60 - index * 3) // (len(changes) + 1)))
        for number, change in enumerate(changes):
            _backdate(OpportunityStageChange, change.pk, changed_at=start + step * number)
        last = start + step * (len(changes) - 1)
        _backdate(
            Opportunity,
            opportunity.pk,
            created_at=start,
            stage_changed_at=last,
            closed_at=last if opportunity.is_closed else None,
        )
        opportunities[key] = opportunity
    return opportunities


def _conversations(ctx, accounts, opportunities, themes, campaigns) -> list[Conversation]:
    today = timezone.localdate(ctx.now)
    logged = []
    for row in CONVERSATIONS:
        (
            key,
            author,
            days_ago,
            channel,
            goal,
            discussed,
            insight,
            theme,
            reaction,
            objections,
            campaign,
            known,
            outcome,
            next_step,
            due_in,
            status,
        ) = row
        account = accounts[key]
        chosen_theme = _pick(themes, THEME_KEYS, theme, "title")
        if chosen_theme is not None and chosen_theme.status != "active":
            chosen_theme = None
        occurred = ctx.now - timedelta(days=days_ago, hours=2)
        conversation = log_conversation(
            author=ctx.users[author],
            data={
                "account": account,
                "contacts": list(account.contacts.all()[:2]),
                "opportunity": opportunities.get(key),
                "channel": channel,
                "occurred_at": occurred,
                "customer_goal": goal,
                "discussed": discussed,
                "insight_shared": insight,
                "theme": chosen_theme,
                "customer_reaction": reaction,
                "objections": objections,
                "campaign": _pick(campaigns, CAMPAIGN_KEYS, campaign, "name"),
                "campaign_known_to_rep": known,
                "outcome": outcome,
                "next_step": next_step,
                "next_step_due": today + timedelta(days=due_in) if due_in is not None else None,
                "status": status,
            },
        )
        _backdate(Conversation, conversation.pk, created_at=occurred + timedelta(minutes=40))
        logged.append(conversation)
    return logged


def load(ctx) -> None:
    themes = list(ctx.shared.get("themes") or [])
    campaigns = list(ctx.shared.get("campaigns") or [])
    accounts = _accounts(ctx)
    opportunities = _opportunities(ctx, accounts, campaigns)
    ctx.shared["accounts"] = list(accounts.values())
    ctx.shared["opportunities"] = list(opportunities.values())
    ctx.shared["conversations"] = _conversations(ctx, accounts, opportunities, themes, campaigns)
