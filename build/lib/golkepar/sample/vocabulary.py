"""What sample traffic is made of: the site's pages and assets, User-Agents, referers, probes."""

# Tables of records and User-Agents read best one per line, however long.
# ruff: noqa: E501

from __future__ import annotations

# A small WordPress site, as most OVH web hostings run.
PAGES: tuple[str, ...] = (
    "/",
    "/blog/",
    "/blog/bien-choisir-son-hebergement-web/",
    "/blog/migrer-wordpress-sans-coupure/",
    "/blog/sauvegardes-automatiques/",
    "/blog/optimiser-les-images/",
    "/blog/cache-et-performances/",
    "/blog/securiser-wp-admin/",
    "/blog/https-gratuit-lets-encrypt/",
    "/blog/page/2/",
    "/produits/",
    "/produits/atelier-photo/",
    "/produits/formation-wordpress/",
    "/a-propos/",
    "/contact/",
    "/mentions-legales/",
    "/?s=hebergement",
)
# Loaded by a browser with every page the first time; later pages get them from its cache.
PAGE_ASSETS: tuple[str, ...] = (
    "/wp-content/themes/golkepar/style.css?ver=6.6.2",
    "/wp-includes/css/dist/block-library/style.min.css?ver=6.6.2",
    "/wp-includes/js/jquery/jquery.min.js?ver=3.7.1",
    "/wp-content/themes/golkepar/js/navigation.js?ver=1.4",
    "/wp-content/themes/golkepar/fonts/inter-var.woff2",
    "/wp-content/uploads/2026/10/logo.svg",
)
# One image per page, named after it.
IMAGE_FOLDER = "/wp-content/uploads/2026/11/"
FAVICON = "/favicon.ico"
SITEMAPS: tuple[str, ...] = ("/sitemap.xml", "/wp-sitemap-posts-post-1.xml")
ADMIN_PAGES: tuple[str, ...] = (
    "/wp-admin/",
    "/wp-admin/edit.php",
    "/wp-admin/post.php?post=412&action=edit",
    "/wp-admin/upload.php",
    "/wp-admin/plugins.php",
    "/wp-admin/edit-comments.php",
)
ADMIN_ASSETS: tuple[str, ...] = (
    "/wp-admin/load-styles.php?c=0&dir=ltr&load%5Bchunk_0%5D=dashicons,admin-bar&ver=6.6.2",
    "/wp-admin/load-scripts.php?c=0&load%5Bchunk_0%5D=jquery-core,utils&ver=6.6.2",
)

BROWSERS: tuple[str, ...] = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
)  # fmt: skip

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
GOOGLEBOT_SMARTPHONE = (
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/131.0.6778.108 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
    "+http://www.google.com/bot.html)"
)
BINGBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
    "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36"
)
AHREFSBOT = "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"
SEMRUSHBOT = "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)"
GPTBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
    "+https://openai.com/gptbot)"
)
CLAUDEBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; "
    "+claudebot@anthropic.com)"
)
CCBOT = "CCBot/2.0 (https://commoncrawl.org/faq/)"
CURL = "curl/8.5.0"
PYTHON_REQUESTS = "python-requests/2.32.3"
GO_HTTP = "Go-http-client/1.1"
WGET = "Wget/1.21.4"

SQLMAP = "sqlmap/1.8.11#stable (https://sqlmap.org)"
NIKTO = "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:007284)"
NUCLEI = "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)"
ZGRAB = "Mozilla/5.0 zgrab/0.x"
WPSCAN = "WPScan v3.8.27 (https://wpscan.com/wordpress-security-scanner)"
MASSCAN = "masscan/1.3 (https://github.com/robertdavidgraham/masscan)"
# An old browser string, the favourite disguise of scripts.
OLD_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/91.0.4472.124 Safari/537.36"
)
OLD_FIREFOX = "Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:102.0) Gecko/20100101 Firefox/102.0"
# Quotes inside a User-Agent: Apache writes them as \" in the log.
QUOTING_UA = 'Mozilla/5.0 (Windows NT 10.0) "><script>alert(document.domain)</script>'

SEARCH_REFERERS: tuple[str, ...] = (
    "https://www.google.com/",
    "https://www.google.fr/",
    "https://www.bing.com/",
    "https://duckduckgo.com/",
    "https://www.qwant.com/",
)
# The search engine behind each search referer, as the warehouse must name it.
SEARCH_ENGINE_OF: dict[str, str] = {
    "https://www.google.com/": "Google",
    "https://www.google.fr/": "Google",
    "https://www.bing.com/": "Bing",
    "https://duckduckgo.com/": "DuckDuckGo",
    "https://www.qwant.com/": "Qwant",
    "https://www.ecosia.org/search?q=h%C3%A9bergement+wordpress": "Ecosia",
}
SOCIAL_REFERERS: tuple[str, ...] = (
    "https://www.facebook.com/",
    "https://t.co/Xk2pLm9QaZ",
    "https://www.linkedin.com/",
    "https://www.reddit.com/r/france/",
)
# Raw Latin-1 bytes (here é as 0xE9), as some old sites still send them.
LATIN1_REFERER = "https://annuaire-ancien.example.fr/recherche?q=caf\xe9+h\xe9bergement"

SENSITIVE_FILES: tuple[str, ...] = (
    "/.env",
    "/.git/config",
    "/.git/HEAD",
    "/backup.zip",
    "/wp-config.php.bak",
    "/wp-config.php~",
    "/db.sql",
    "/phpinfo.php",
    "/info.php",
    "/.aws/credentials",
    "/.DS_Store",
    "/config.json",
)
ADMIN_PROBES: tuple[str, ...] = (
    "/phpmyadmin/",
    "/phpMyAdmin/index.php",
    "/pma/",
    "/myadmin/",
    "/admin/",
    "/administrator/",
    "/admin/login.php",
    "/mysql/admin/",
)
SQLI_PATHS: tuple[str, ...] = (
    "/produits/?id=1%27%20OR%20%271%27%3D%271",
    "/produits/?id=1%20UNION%20ALL%20SELECT%20NULL%2CNULL%2Cconcat(user()%2Cversion())--%20-",
    "/?p=1' AND SLEEP(5)-- -",
    "/?s=1%27%29%20AND%20EXTRACTVALUE(1%2CCONCAT(0x7e%2C(SELECT%20database())))--",
    "/index.php?id=-1+union+select+1,2,3,group_concat(table_name)+from+information_schema.tables",
    "/?cat=1%20AND%201%3D1",
)
TRAVERSAL_PATHS: tuple[str, ...] = (
    "/../../../../etc/passwd",
    "/index.php?page=../../../../../../etc/passwd",
    "/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd",
    "/wp-content/plugins/wp-file-manager/lib/php/connector.minimal.php?target=..%2F..%2F..%2Fwp-config.php",
)
XSS_PATHS: tuple[str, ...] = (
    "/?s=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/contact/?name=<svg/onload=alert(1)>",
    "/?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(document.cookie)%3E",
)
WP_ENUMERATION: tuple[str, ...] = (
    "/wp-json/wp/v2/users",
    "/?author=1",
    "/?author=2",
    "/wp-content/plugins/contact-form-7/readme.txt",
    "/wp-content/plugins/elementor/readme.txt",
    "/wp-content/plugins/woocommerce/readme.txt",
    "/wp-includes/version.php",
    "/readme.html",
)
# A TLS ClientHello sent to port 80: Apache logs its first bytes, escaped, as the request.
TLS_JUNK_REQUESTS: tuple[str, ...] = (
    "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03",
    "\\x16\\x03\\x01\\x00\\xee\\x01\\x00\\x00\\xea\\x03\\x03",
)
PHP_WARNINGS: tuple[str, ...] = (
    "PHP Warning:  Undefined array key \"sidebar\" in /home/site/www/wp-content/themes/golkepar/functions.php on line 87",
    "PHP Warning:  foreach() argument must be of type array|object, null given in /home/site/www/wp-content/plugins/related-posts/related.php on line 142",
    "PHP Deprecated:  Creation of dynamic property Golkepar_Menu::$depth is deprecated in /home/site/www/wp-content/themes/golkepar/inc/menu.php on line 23",
    "PHP Notice:  Function _load_textdomain_just_in_time was called incorrectly. in /home/site/www/wp-includes/functions.php on line 6114",
)  # fmt: skip
PHP_FATAL = (
    "PHP Fatal error:  Uncaught Error: Call to undefined function wc_get_product() in "
    "/home/site/www/wp-content/themes/golkepar/woocommerce.php:31"
)
