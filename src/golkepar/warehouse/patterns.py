"""Every pattern the warehouse classifies with, in one place: attacks, admin areas, search bots.

Patterns are RE2 regular expressions (DuckDB's engine), matched case-insensitively. Request
patterns are matched against the percent-decoded path and query (decoded twice, `+` read as a
space), so `%27%20OR%201=1` and `%252e%252e/` are caught; the referer is decoded the same way,
the User-Agent is matched as logged. The attack patterns are drawn from the
OWASP Core Rule Set (rule groups named beside each kind) and from fail2ban's filters; they are
deliberately narrower than the CRS, because there is no one to tune them per site: ordinary
browsing (`?s=select+a+dress`, `/blog/union-square`) must never raise an event.
"""

from __future__ import annotations

from dataclasses import dataclass

from golkepar.security_kinds import SECURITY_KINDS as SECURITY_KINDS

# What a pattern is matched against.
REQUEST = "request"  # decoded path + "?" + decoded query
PATH = "path"  # decoded path only
USER_AGENT = "user_agent"
# Attacks carried in request headers: the User-Agent (as logged) and the referer (decoded).
HEADERS = "user_agent, referer"
REQUEST_AND_HEADERS = "request, user_agent, referer"
REQUEST_AND_REFERER = "request, referer"


@dataclass(frozen=True)
class SecurityPattern:
    """The patterns of one kind of security event, OR-ed together."""

    kind: str
    target: str
    alternatives: tuple[str, ...]

    @property
    def regex(self) -> str:
        """One case-insensitive RE2 expression matching any alternative."""
        return "(?i)(?:" + "|".join(f"(?:{a})" for a in self.alternatives) + ")"


SECRET_FILE_PROBE = SecurityPattern(
    "secret_file_probe",
    PATH,
    (
        # CRS 930130 (restricted files): version control, environment and server config.
        r"/\.(env|git|svn|hg|bzr|aws|ssh|docker|vscode|idea|config)([/.~_-]|$)",
        r"/\.(ds_store|htaccess|htpasswd|npmrc|pypirc|bash_history|git-credentials|netrc)$",
        r"/(sftp-config|ftpconfig|credentials|secrets)\.(json|ya?ml|txt)$",
        r"/(id_rsa|id_dsa|id_ecdsa|id_ed25519)(\.pub)?$",
        r"/docker-compose\.ya?ml$",
        # WordPress configuration backups (wp-config.php.bak, wp-config.php~, wp-config.old).
        r"/wp-config\.php.+$",
        r"/wp-config\.(bak|old|txt|orig|save)$",
        # Backups and dumps, the usual names (CRS 930130, fail2ban apache-noscript).
        r"\.(bak|backup|old|orig|save|swp|swo|sql|sql\.gz|sql\.zip|dump)$",
        r"~$",
        r"/(backup|backups|bak|dump|db|database|site|www|wwwroot|public_html|htdocs|web|"
        r"archive|data|sql)\.(zip|rar|7z|tar|tar\.gz|tgz|gz|bz2)$",
        # Server and PHP information pages, debug logs.
        r"/(php)?info\.php$",
        r"/phpinfo",
        r"/server-(status|info)$",
        r"/(wp-content/)?debug\.log$",
        r"/error_log$",
    ),
)

ADMIN_PROBE = SecurityPattern(
    "admin_probe",
    PATH,
    (
        # Database tools and admin panels scanners try on every host (fail2ban apache-noscript,
        # CRS scanner detection); an event only when the answer is 4xx other than 401: the thing
        # does not exist or is closed to them.
        r"^/+(phpmyadmin|pma|myadmin|mysqladmin|mysql-admin|dbadmin|db-admin|sqladmin|"
        r"sqlmanager|websql|adminer|administrator|admin|admincp|adm|backend|cpanel|webadmin|"
        r"controlpanel|manager/html|wp-admin|wp-login\.php|user/login|boaform|hnap1|cgi-bin)"
        r"([/._-]|$)",
        r"^/+phpmyadmin[\w.-]*(/|$)",
        r"/adminer[\w.-]*\.php$",
    ),
)

SQL_INJECTION = SecurityPattern(
    "sql_injection",
    REQUEST_AND_REFERER,
    (
        # CRS 942 (SQL injection), keeping the signatures that need SQL syntax, not SQL words:
        # a search for "drop-down (select or insert) options", `"cats" and others like them`
        # or "sleep (film)" is not an injection.
        r"\bunion\b[\s(/*]+(all\s+|distinct\s+)?[\s(]*select\b",
        # A subquery that selects a value, a column list or a function: `(SELECT 1`, `(select *`.
        r"\(\s*select\s+(\d|null\b|@@|\*|\w+\s*\()",
        # A quote, a boolean operator, an operand, then a comparison: `' or '1'='1`,
        # `" or ""="`, `') or 1 is null`. `like` counts only before a quoted pattern.
        r"['\"`)]\s*(or|and|xor|\|\||&&)\s+[\w'\"(]+\s*"
        r"(=|<|>|\blike\s*['\"%]|\bis\s+(not\s+)?null\b)",
        r"\b(or|and)\s+1\s*=\s*1\b",
        # `SLEEP(5)`, `pg_sleep(5)`, `BENCHMARK(5000000,MD5(1))`; not "sleep (2023 film)".
        r"\b(sleep|pg_sleep)\s*\(\s*\d+(\.\d+)?\s*\)",
        r"\bbenchmark\s*\(\s*\d+\s*,",
        r"\bwaitfor\s+delay\b",
        r"\b(information_schema|sysobjects|pg_catalog|xp_cmdshell)\b",
        r"\bmysql\.user\b",
        r"\b(extractvalue|updatexml|load_file|group_concat)\s*\(",
        r"@@version",
        r"\binto\s+(out|dump)file\b",
        r";\s*(drop|truncate|alter)\s+(table|database)\b",
        r";\s*(insert\s+into|delete\s+from|exec(ute)?\s+(xp_|sp_))",
        # A quote closed, then at once a comment: `admin'--`, `1'#`, `'/*`. SQL's `--` and `#`
        # comments want a space or the end after them: `"grep" --color`, `"#metoo"` and
        # `it's "great" -- really` are searches, not comments.
        r"['\"](--(\s|-|&|$)|#(\s|&|$))|'/\*",
    ),
)

PATH_TRAVERSAL = SecurityPattern(
    "path_traversal",
    REQUEST,
    (
        # CRS 930 (local file inclusion) and 931 (remote file inclusion wrappers).
        r"\.\.[/\\]",
        r"%c0%ae|%c1%9c|%c0%af",
        r"/etc/(passwd|shadow|hosts|group|issue)\b",
        r"/proc/self/",
        r"\b(boot|win)\.ini\b",
        r"c:[/\\](windows|winnt)\b",
        r"\bwindows[/\\]system32\b",
        r"\b(php|expect|phar|zip|glob)://",
        r"\bfile:/",
    ),
)

XSS_ATTEMPT = SecurityPattern(
    "xss_attempt",
    REQUEST,
    (
        # CRS 941 (cross-site scripting).
        r"<\s*/?\s*(script|iframe|svg|img|body|object|embed|frame|meta|base|form|input|details|"
        r"video|audio|math|marquee)\b",
        r"\b(javascript|vbscript|livescript)\s*:",
        r"\bon(error|load|mouseover|focus|blur|click|mouseenter|animationstart|toggle|"
        r"pointerover)\s*=",
        r"\b(alert|prompt|confirm)\s*\(\s*([\d'\"`]|document|window|/)",
        r"\bdocument\s*\.\s*(cookie|domain|write|location)\b",
        r"\bstring\.fromcharcode\b",
        r"\beval\s*\(",
    ),
)

SCANNER_USER_AGENT = SecurityPattern(
    "scanner_user_agent",
    USER_AGENT,
    (
        # Offensive tools that announce themselves (fail2ban apache-badbots, CRS 913100).
        r"sqlmap|nikto|\bnmap\b|nuclei|zgrab|wpscan|masscan|\bzmap\b|dirbuster|gobuster|\bdirb\b",
        r"feroxbuster|\bffuf\b|wfuzz|acunetix|netsparker|nessus|openvas|\bw3af\b|arachni",
        r"\bzmeu\b|morfeus|jorgee|havij|fimap|commix|whatweb|xsstrike|skipfish|wapiti|appscan",
        r"webinspect|l9explore|l9tcpid|fuzz faster u fool",
    ),
)

SHELLSHOCK = SecurityPattern(
    "shellshock",
    HEADERS,
    (
        # CVE-2014-6271 (CRS 932170): a header whose value starts as a bash function definition,
        # `() { :; }; /bin/bash -c ...`. Anchored at the start: `function() {` in a search for
        # JavaScript is not one.
        r"^\s*\(\s*\)\s*\{",
    ),
)

LOG4SHELL = SecurityPattern(
    "log4shell",
    REQUEST_AND_HEADERS,
    (
        # CVE-2021-44228 (CRS 944150): a Log4j lookup, `${jndi:ldap://...}`, or lookups nested to
        # hide it from filters, `${${lower:j}ndi:...}`, `${${::-j}${::-n}di:...}`.
        r"\$\{\s*(jndi|ctx)\s*:",
        r"\$\{[^}]{0,4}\$\{",
    ),
)

# Kinds matched by a pattern, in the order they are documented.
PATTERN_KINDS: tuple[SecurityPattern, ...] = (
    SECRET_FILE_PROBE,
    ADMIN_PROBE,
    SQL_INJECTION,
    PATH_TRAVERSAL,
    XSS_ATTEMPT,
    SCANNER_USER_AGENT,
    SHELLSHOCK,
    LOG4SHELL,
)

# fail2ban's wordpress filter: maxretry 5, findtime 10 minutes. Here a burst is a run of POSTs to
# wp-login.php from one IP with no gap over BURST_GAP_MINUTES; it is an attack from 5 POSTs on.
WP_LOGIN_PATH = r"(?i)/wp-login\.php$"
WP_LOGIN_BURST_MIN_POSTS = 5
WP_LOGIN_BURST_GAP_MINUTES = 10

# Any POST to xmlrpc.php (fail2ban wordpress-hard), except from Automattic's own network, whose
# Jetpack service uses it legitimately.
XMLRPC_PATH = r"(?i)/xmlrpc\.php$"
XMLRPC_TRUSTED_AS_ORG = r"(?i)automattic"

# Another protocol spoken to the HTTP port, which Apache logs, escaped, as the request line: a TLS
# handshake (\x16\x03...), RDP (\x03\x00... or "Cookie: mstshash="), SSH ("SSH-2.0-"), or
# other binary bytes. Port scanners (masscan, zgrab, censys) send these; browsers never do. A
# connection closed before any request ("-", 408) is not one: browsers' preconnections do that.
PROTOCOL_PROBE = r"^(\\x[0-9a-fA-F]{2}|SSH-\d|[^\x20-\x7e])|mstshash="


# A visitor's successful (2xx, non-asset) request here makes it an administrator. Pages under
# /wp-admin/ answer 2xx only to a logged-in user (others are redirected to wp-login.php); the
# excluded ones serve anonymous visitors too. Drupal's edit and admin pages answer 403 to others.
ADMIN_AREA = (
    r"(?i)(^|/)wp-admin/|^/+node/\d+/edit$|^/+admin/(content|structure|appearance|config|people|"
    r"modules)(/|$)"
)
ADMIN_AREA_PUBLIC = r"(?i)/wp-admin/(admin-ajax|admin-post|load-scripts|load-styles)\.php$"

# A search engine's crawler (`golkepar.geoip.crawler_ranges.CRAWLERS`), as its User-Agent claims;
# its published ranges prove it.
SEARCH_BOT_CLAIMS: tuple[tuple[str, str], ...] = (
    ("Googlebot", r"(?i)googlebot"),
    ("Bingbot", r"(?i)bingbot|msnbot|adidxbot|bingpreview"),
)

# Bot behaviour: this many page views and never an asset. High on purpose: a human reading a few
# pages with a warm cache must not become a bot.
BOT_MIN_PAGES_WITHOUT_ASSETS = 20

# Bot behaviour: pages faster than anyone reads. A person opens a few pages a minute, and may
# open 20 tabs at once now and then; a program keeps that pace up. A visitor that viewed this
# many pages in each of this many clock minutes is a bot, whatever its User-Agent and assets.
BOT_PAGES_PER_MINUTE = 20
BOT_FAST_MINUTES = 3
