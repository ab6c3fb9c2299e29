"""The kinds of attack `security_events.kind` holds, and the words every page uses for them.

The report and the Superset dashboard name an attack the same way: a short label for charts and
table cells, a sentence for the reader who asks what it means. The warehouse's patterns live in
`golkepar.warehouse.patterns`; this is what they are called.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SecurityKind:
    """A value of `security_events.kind`, its short label and what it means."""

    name: str
    label: str
    meaning: str


# In the order pages list them.
SECURITY_KIND_WORDS = (
    SecurityKind(
        "secret_file_probe", "Secret files", "Looked for secret or backup files (.env, .git, dumps)"
    ),
    SecurityKind("wp_login_bruteforce", "Password guessing", "Tried to guess a WordPress password"),
    SecurityKind("xmlrpc_abuse", "XML-RPC abuse", "Abused WordPress XML-RPC"),
    SecurityKind("sql_injection", "SQL injection", "Tried SQL injection"),
    SecurityKind(
        "path_traversal",
        "Path traversal",
        "Tried to read files outside the site (path traversal)",
    ),
    SecurityKind(
        "xss_attempt", "Script injection", "Tried to inject scripts (cross-site scripting)"
    ),
    SecurityKind("scanner_user_agent", "Attack scanner", "Used a known attack scanner"),
    SecurityKind(
        "admin_probe", "Admin panel probing", "Looked for admin panels and database tools"
    ),
    SecurityKind("fake_search_bot", "Fake Google/Bing", "Pretended to be Google or Bing"),
    SecurityKind(
        "protocol_probe",
        "Port scan",
        "Spoke another protocol to the web server (port scan)",
    ),
    SecurityKind("shellshock", "Shellshock", "Tried Shellshock (a bash command in a header)"),
    SecurityKind(
        "log4shell", "Log4Shell", "Tried Log4Shell (a JNDI lookup in a header or the address)"
    ),
)
# Every kind `security_events.kind` can hold.
SECURITY_KINDS: tuple[str, ...] = tuple(kind.name for kind in SECURITY_KIND_WORDS)
KIND_LABELS = {kind.name: kind.label for kind in SECURITY_KIND_WORDS}
KIND_MEANINGS = {kind.name: kind.meaning for kind in SECURITY_KIND_WORDS}
