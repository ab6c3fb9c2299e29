"""What a correct pipeline must conclude about generated logs: the ground truth."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from golkepar.sample import vocabulary as v

# Intended visitor classes. An impostor (a crawler's User-Agent from outside its published
# ranges) is an attacker: lying about who you are is the attack.
HUMAN = "human"
BOT = "bot"
ADMIN = "admin"
ATTACKER = "attacker"

# Attack kinds an attacker's lines show.
SENSITIVE_FILE = "sensitive_file"  # .env, .git/config, backups, phpinfo
ADMIN_PROBE = "admin_probe"  # phpMyAdmin, /admin/ and the like, answered 404
WP_LOGIN_BRUTEFORCE = "wp_login_bruteforce"  # bursts of POST /wp-login.php
XMLRPC = "xmlrpc"  # POST /xmlrpc.php over and over
SQLI = "sqli"
PATH_TRAVERSAL = "path_traversal"
XSS = "xss"
SCANNER_UA = "scanner_ua"  # the User-Agent names a security scanner
USER_ENUMERATION = "user_enumeration"  # /?author=1, /wp-json/wp/v2/users
FAKE_CRAWLER = "fake_crawler"  # a search engine's User-Agent from outside its published ranges
MALFORMED_REQUEST = "malformed_request"  # TLS on port 80, connections that send nothing
SHELLSHOCK = "shellshock"  # `() { :; };` as the User-Agent
LOG4SHELL = "log4shell"  # `${jndi:ldap://...}` in the User-Agent, the referer or the query
REFERER_SQLI = "referer_sqli"  # SQL injection carried in the referer

# Reasons a line is rejected, worded as in the lake's `rejects.reason`.
NO_MATCH = "does not match the log format"
INVALID_TIMESTAMP = "invalid timestamp"
NON_NUMERIC_STATUS = "non-numeric status"


@dataclass(frozen=True)
class VisitEntry:
    """How one of a human's visits arrived: what its row in `visits` must say."""

    channel: str
    search_engine: str | None = None
    utm_campaign: str | None = None


@dataclass(frozen=True)
class BrokenLink:
    """A missing page a human asked for, and the `not_found.origin` of its row."""

    path: str
    origin: str


@dataclass(frozen=True)
class ActorTruth:
    """One visitor (an IP and a User-Agent) and what the pipeline should say about it.

    `visits` counts a human's or admin's visits (None for the others); `hits` is the number
    of valid access-log lines the actor produced. A bot has the name and category the `bots`
    table must give it (`unnamed`, `other` when only its behaviour tells).
    """

    name: str
    ip: str
    user_agent: str | None
    intended_class: str
    attack_kinds: tuple[str, ...]
    visits: int | None
    hits: int
    bot_name: str | None = None
    bot_category: str | None = None
    # A human's visits in time order (empty for the others), and the broken links it met.
    entries: tuple[VisitEntry, ...] = ()
    broken_links: tuple[BrokenLink, ...] = ()


@dataclass(frozen=True)
class RejectTruth:
    """A line ingest must reject: where it is (path relative to the log root) and why."""

    source_file: str
    line_number: int
    reason: str


@dataclass(frozen=True)
class SampleLogs:
    """What `write_site_logs` wrote: its files, their line counts, and the ground truth."""

    site: str
    log_root: Path
    files: tuple[Path, ...]
    lines_per_file: Mapping[str, int]
    actors: tuple[ActorTruth, ...]
    rejects: tuple[RejectTruth, ...]

    @property
    def access_lines(self) -> int:
        """Lines in the access logs, valid or not."""
        return sum(n for name, n in self.lines_per_file.items() if "/error/" not in name)

    @property
    def error_lines(self) -> int:
        """Lines in the error logs."""
        return sum(n for name, n in self.lines_per_file.items() if "/error/" in name)

    @property
    def hits(self) -> int:
        """Access-log lines ingest must keep."""
        return sum(actor.hits for actor in self.actors)

    def actor(self, name: str) -> ActorTruth:
        """The actor called `name` (`human-00`, `googlebot`, `sqlmap`...)."""
        for actor in self.actors:
            if actor.name == name:
                return actor
        raise KeyError(f"no sample actor {name!r}")


def entry_of(referer: str | None, site: str, utm_campaign: str | None = None) -> VisitEntry:
    """What `visits` must say about a visit whose first hit has this referer."""
    if referer is None:
        return VisitEntry("direct", utm_campaign=utm_campaign)
    if referer in v.SEARCH_ENGINE_OF:
        return VisitEntry("search", v.SEARCH_ENGINE_OF[referer], utm_campaign)
    if referer in v.SOCIAL_REFERERS:
        return VisitEntry("social", utm_campaign=utm_campaign)
    if referer.startswith((f"https://www.{site}/", f"https://{site}/")):
        return VisitEntry("internal", utm_campaign=utm_campaign)
    return VisitEntry("referral", utm_campaign=utm_campaign)
