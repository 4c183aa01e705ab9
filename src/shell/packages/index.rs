//! The curated package index: the Debian/Ubuntu and Alpine packages real
//! Dockerfiles install, with realistic versions (Debian 12 "bookworm" and Alpine
//! 3.19; the run-time libraries of source builds follow Alpine 3.21, as the
//! catalog's images do), installed sizes in KiB, dependencies and the files that matter (the
//! binaries, so an installed `curl` then runs). One line per package:
//! `name|version|installed KiB|depends|recommends|files|description`; a file
//! written `path->target` is a symlink, one ending in `/` a directory. The rest
//! of a package's size goes to its listed files, so layer sizes look like the
//! real ones.
//!
//! apt's index depends on the release in the image's `/etc/os-release`: Ubuntu
//! 22.04 "jammy" and 24.04 "noble" lay an overlay (`index_jammy.txt`,
//! `index_noble.txt`) over the Debian lines, with Ubuntu's names, versions, sizes,
//! dependencies and files for the packages tutorials install most (Python and
//! pip, nginx, compilers, curl, git, Java, Node.js...). A package the overlay
//! lacks falls back to its Debian 12 line, version string included. A line
//! `old=>new` in an overlay records a library renamed on that release (noble's
//! 64-bit time_t `t64` names).

/// One package of the index, or a placeholder for a name the index lacks (then
/// its strings borrow the requested name, hence the lifetime).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexEntry<'a> {
    /// Package name.
    pub name: &'a str,
    /// Version string in the distribution's format.
    pub version: &'a str,
    /// Installed size in KiB (dpkg's `Installed-Size`, apk's `I:` / 1024).
    pub installed_kib: u64,
    /// Names of packages it needs.
    pub depends: Vec<&'a str>,
    /// Names of packages apt installs too unless `--no-install-recommends`.
    pub recommends: Vec<&'a str>,
    /// Files it installs (`path` or `path->target`).
    pub files: Vec<&'a str>,
    /// One-line description.
    pub description: &'a str,
    /// Whether this stands in for a package the simulated archive does not have
    /// (see `placeholder`).
    pub placeholder: bool,
}

const DEBIAN: &str = "\
adduser|3.134|849|||/usr/sbin/adduser,/usr/sbin/addgroup->adduser|add and remove users and groups
apt-transport-https|2.6.1|35|||/usr/share/doc/apt-transport-https/copyright|transitional package for https support
apache2|2.4.62-1~deb12u2|573|apache2-bin,apache2-data,apache2-utils,perl,procps||/usr/sbin/a2enmod,/usr/sbin/a2dismod->a2enmod,/usr/sbin/a2enconf->a2enmod,/usr/sbin/a2disconf->a2enmod,/usr/sbin/a2ensite->a2enmod,/usr/sbin/a2dissite->a2enmod,/usr/sbin/a2query,/usr/sbin/apache2ctl,/usr/sbin/apachectl->apache2ctl,/etc/apache2/apache2.conf,/etc/apache2/envvars,/etc/apache2/magic,/etc/apache2/ports.conf,/etc/apache2/conf-available/charset.conf,/etc/apache2/conf-available/localized-error-pages.conf,/etc/apache2/conf-available/other-vhosts-access-log.conf,/etc/apache2/conf-available/security.conf,/etc/apache2/conf-available/serve-cgi-bin.conf,/etc/apache2/mods-available/access_compat.load,/etc/apache2/mods-available/alias.load,/etc/apache2/mods-available/alias.conf,/etc/apache2/mods-available/auth_basic.load,/etc/apache2/mods-available/authn_core.load,/etc/apache2/mods-available/authn_file.load,/etc/apache2/mods-available/authz_core.load,/etc/apache2/mods-available/authz_host.load,/etc/apache2/mods-available/authz_user.load,/etc/apache2/mods-available/autoindex.load,/etc/apache2/mods-available/autoindex.conf,/etc/apache2/mods-available/cgi.load,/etc/apache2/mods-available/deflate.load,/etc/apache2/mods-available/deflate.conf,/etc/apache2/mods-available/dir.load,/etc/apache2/mods-available/dir.conf,/etc/apache2/mods-available/env.load,/etc/apache2/mods-available/expires.load,/etc/apache2/mods-available/filter.load,/etc/apache2/mods-available/headers.load,/etc/apache2/mods-available/mime.load,/etc/apache2/mods-available/mime.conf,/etc/apache2/mods-available/mpm_event.load,/etc/apache2/mods-available/mpm_event.conf,/etc/apache2/mods-available/mpm_prefork.load,/etc/apache2/mods-available/mpm_prefork.conf,/etc/apache2/mods-available/mpm_worker.load,/etc/apache2/mods-available/mpm_worker.conf,/etc/apache2/mods-available/negotiation.load,/etc/apache2/mods-available/negotiation.conf,/etc/apache2/mods-available/proxy.load,/etc/apache2/mods-available/proxy.conf,/etc/apache2/mods-available/proxy_http.load,/etc/apache2/mods-available/remoteip.load,/etc/apache2/mods-available/reqtimeout.load,/etc/apache2/mods-available/reqtimeout.conf,/etc/apache2/mods-available/rewrite.load,/etc/apache2/mods-available/setenvif.load,/etc/apache2/mods-available/setenvif.conf,/etc/apache2/mods-available/socache_shmcb.load,/etc/apache2/mods-available/ssl.load,/etc/apache2/mods-available/ssl.conf,/etc/apache2/mods-available/status.load,/etc/apache2/mods-available/status.conf,/etc/apache2/sites-available/000-default.conf,/etc/apache2/sites-available/default-ssl.conf,/etc/apache2/conf-enabled/charset.conf->../conf-available/charset.conf,/etc/apache2/conf-enabled/localized-error-pages.conf->../conf-available/localized-error-pages.conf,/etc/apache2/conf-enabled/other-vhosts-access-log.conf->../conf-available/other-vhosts-access-log.conf,/etc/apache2/conf-enabled/security.conf->../conf-available/security.conf,/etc/apache2/conf-enabled/serve-cgi-bin.conf->../conf-available/serve-cgi-bin.conf,/etc/apache2/mods-enabled/access_compat.load->../mods-available/access_compat.load,/etc/apache2/mods-enabled/alias.load->../mods-available/alias.load,/etc/apache2/mods-enabled/alias.conf->../mods-available/alias.conf,/etc/apache2/mods-enabled/auth_basic.load->../mods-available/auth_basic.load,/etc/apache2/mods-enabled/authn_core.load->../mods-available/authn_core.load,/etc/apache2/mods-enabled/authn_file.load->../mods-available/authn_file.load,/etc/apache2/mods-enabled/authz_core.load->../mods-available/authz_core.load,/etc/apache2/mods-enabled/authz_host.load->../mods-available/authz_host.load,/etc/apache2/mods-enabled/authz_user.load->../mods-available/authz_user.load,/etc/apache2/mods-enabled/autoindex.load->../mods-available/autoindex.load,/etc/apache2/mods-enabled/autoindex.conf->../mods-available/autoindex.conf,/etc/apache2/mods-enabled/deflate.load->../mods-available/deflate.load,/etc/apache2/mods-enabled/deflate.conf->../mods-available/deflate.conf,/etc/apache2/mods-enabled/dir.load->../mods-available/dir.load,/etc/apache2/mods-enabled/dir.conf->../mods-available/dir.conf,/etc/apache2/mods-enabled/env.load->../mods-available/env.load,/etc/apache2/mods-enabled/filter.load->../mods-available/filter.load,/etc/apache2/mods-enabled/mime.load->../mods-available/mime.load,/etc/apache2/mods-enabled/mime.conf->../mods-available/mime.conf,/etc/apache2/mods-enabled/mpm_event.load->../mods-available/mpm_event.load,/etc/apache2/mods-enabled/mpm_event.conf->../mods-available/mpm_event.conf,/etc/apache2/mods-enabled/negotiation.load->../mods-available/negotiation.load,/etc/apache2/mods-enabled/negotiation.conf->../mods-available/negotiation.conf,/etc/apache2/mods-enabled/reqtimeout.load->../mods-available/reqtimeout.load,/etc/apache2/mods-enabled/reqtimeout.conf->../mods-available/reqtimeout.conf,/etc/apache2/mods-enabled/setenvif.load->../mods-available/setenvif.load,/etc/apache2/mods-enabled/setenvif.conf->../mods-available/setenvif.conf,/etc/apache2/mods-enabled/status.load->../mods-available/status.load,/etc/apache2/mods-enabled/status.conf->../mods-available/status.conf,/etc/apache2/sites-enabled/000-default.conf->../sites-available/000-default.conf,/var/www/html/index.html,/var/log/apache2/,/var/cache/apache2/mod_cache_disk/,/var/lib/apache2/module/enabled_by_maint/,/etc/logrotate.d/apache2,/etc/init.d/apache2|Apache HTTP Server
apache2-bin|2.4.62-1~deb12u2|5370|libapr1,libaprutil1||/usr/sbin/apache2,/usr/lib/apache2/modules/mod_access_compat.so,/usr/lib/apache2/modules/mod_alias.so,/usr/lib/apache2/modules/mod_auth_basic.so,/usr/lib/apache2/modules/mod_authn_core.so,/usr/lib/apache2/modules/mod_authn_file.so,/usr/lib/apache2/modules/mod_authz_core.so,/usr/lib/apache2/modules/mod_authz_host.so,/usr/lib/apache2/modules/mod_authz_user.so,/usr/lib/apache2/modules/mod_autoindex.so,/usr/lib/apache2/modules/mod_cgi.so,/usr/lib/apache2/modules/mod_deflate.so,/usr/lib/apache2/modules/mod_dir.so,/usr/lib/apache2/modules/mod_env.so,/usr/lib/apache2/modules/mod_expires.so,/usr/lib/apache2/modules/mod_filter.so,/usr/lib/apache2/modules/mod_headers.so,/usr/lib/apache2/modules/mod_mime.so,/usr/lib/apache2/modules/mod_mpm_event.so,/usr/lib/apache2/modules/mod_mpm_prefork.so,/usr/lib/apache2/modules/mod_mpm_worker.so,/usr/lib/apache2/modules/mod_negotiation.so,/usr/lib/apache2/modules/mod_proxy.so,/usr/lib/apache2/modules/mod_proxy_http.so,/usr/lib/apache2/modules/mod_remoteip.so,/usr/lib/apache2/modules/mod_reqtimeout.so,/usr/lib/apache2/modules/mod_rewrite.so,/usr/lib/apache2/modules/mod_setenvif.so,/usr/lib/apache2/modules/mod_socache_shmcb.so,/usr/lib/apache2/modules/mod_ssl.so,/usr/lib/apache2/modules/mod_status.so|Apache HTTP Server (modules and other binary files)
apache2-data|2.4.62-1~deb12u2|866|||/usr/share/apache2/default-site/index.html,/usr/share/apache2/error/HTTP_NOT_FOUND.html.var,/usr/share/apache2/icons/apache_pb.png|Apache HTTP Server (common files)
apache2-utils|2.4.62-1~deb12u2|495|||/usr/bin/ab,/usr/bin/htpasswd,/usr/bin/htdigest,/usr/sbin/rotatelogs|Apache HTTP Server (utility programs for web servers)
libapr1|1.7.2-3+deb12u1|271|||/usr/lib/x86_64-linux-gnu/libapr-1.so.0.7.2,/usr/lib/x86_64-linux-gnu/libapr-1.so.0->libapr-1.so.0.7.2|Apache Portable Runtime Library
libaprutil1|1.6.3-1|285|libapr1||/usr/lib/x86_64-linux-gnu/libaprutil-1.so.0.6.3,/usr/lib/x86_64-linux-gnu/libaprutil-1.so.0->libaprutil-1.so.0.6.3|Apache Portable Runtime Utility Library
autoconf|2.71-3|2025||m4|/usr/bin/autoconf,/usr/share/autoconf/autoconf/autoconf.m4|automatic configure script builder
bash|5.2.15-2+b7|7164|||/bin/bash|GNU Bourne Again SHell
binutils|2.40-2|2800|binutils-x86-64-linux-gnu||/usr/bin/ld->x86_64-linux-gnu-ld,/usr/bin/as->x86_64-linux-gnu-as,/usr/bin/strip->x86_64-linux-gnu-strip|GNU assembler, linker and binary utilities
binutils-x86-64-linux-gnu|2.40-2|10709|||/usr/bin/x86_64-linux-gnu-ld,/usr/bin/x86_64-linux-gnu-as,/usr/bin/x86_64-linux-gnu-strip|GNU binary utilities, for x86-64-linux-gnu target
bind9-dnsutils|1:9.18.28-1~deb12u2|642|||/usr/bin/dig,/usr/bin/nslookup,/usr/bin/host|Clients provided with BIND 9
build-essential|12.9|20|gcc,g++,make,dpkg-dev,libc6-dev||/usr/share/build-essential/list|Informational list of build-essential packages
bzip2|1.0.8-5+b1|120|||/bin/bzip2,/bin/bunzip2->bzip2|high-quality block-sorting file compressor - utilities
ca-certificates|20230311|391|openssl||/usr/sbin/update-ca-certificates,/etc/ssl/certs/ca-certificates.crt,/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt|Common CA certificates
cmake|3.25.1-1|32985|cmake-data||/usr/bin/cmake,/usr/bin/ctest,/usr/bin/cpack|cross-platform, open-source make system
cmake-data|3.25.1-1|11000|||/usr/share/cmake-3.25/Modules/FindPython.cmake|CMake data files (modules, templates and documentation)
cpp|4:12.2.0-3|52|cpp-12||/usr/bin/cpp->cpp-12|GNU C preprocessor (cpp)
cpp-12|12.2.0-14|33874|||/usr/bin/cpp-12,/usr/lib/gcc/x86_64-linux-gnu/12/cc1|GNU C preprocessor
cron|3.0pl1-162|235|||/usr/sbin/cron,/usr/bin/crontab|process scheduling daemon
curl|7.88.1-10+deb12u8|500|libcurl4||/usr/bin/curl|command line tool for transferring data with URL syntax
default-jre-headless|2:1.17-74|8|openjdk-17-jre-headless||/usr/share/doc/default-jre-headless/copyright|Standard Java or Java compatible Runtime (headless)
default-libmysqlclient-dev|1.1.0|10|libmariadb-dev||/usr/share/doc/default-libmysqlclient-dev/copyright|MySQL database development files (metapackage)
dirmngr|2.2.40-1.1|1057|||/usr/bin/dirmngr|GNU privacy guard - network certificate management service
dpkg-dev|1.21.22|1829|make,patch,xz-utils|build-essential|/usr/bin/dpkg-buildpackage,/usr/bin/dpkg-architecture,/usr/bin/dpkg-buildflags,/usr/bin/dpkg-source|Debian package development tools
ffmpeg|7:5.1.6-0+deb12u1|2114|libavcodec59||/usr/bin/ffmpeg,/usr/bin/ffprobe|Tools for transcoding, streaming and playing of multimedia files
file|1:5.44-3|83|||/usr/bin/file|Recognize the type of data in a file using magic numbers
g++|4:12.2.0-3|15|g++-12,gcc||/usr/bin/g++->g++-12,/usr/bin/c++->g++|GNU C++ compiler
g++-12|12.2.0-14|38043|gcc-12,libstdc++-12-dev||/usr/bin/g++-12,/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus|GNU C++ compiler
gcc|4:12.2.0-3|50|gcc-12,cpp||/usr/bin/gcc->gcc-12,/usr/bin/cc->gcc|GNU C compiler
gcc-12|12.2.0-14|67128|cpp-12,binutils,libgcc-12-dev||/usr/bin/gcc-12,/usr/lib/gcc/x86_64-linux-gnu/12/lto1|GNU C compiler
gettext-base|0.21-12|451|||/usr/bin/envsubst,/usr/bin/gettext|GNU Internationalization utilities for the base system
git|1:2.39.5-0+deb12u1|36053|git-man,libcurl4,perl|ca-certificates,less,openssh-client,patch|/usr/bin/git,/usr/lib/git-core/git-remote-http,/usr/share/git-core/templates/description|fast, scalable, distributed revision control system
git-man|1:2.39.5-0+deb12u1|2079|||/usr/share/man/man1/git.1.gz|fast, scalable, distributed revision control system (manual pages)
gnupg|2.2.40-1.1|885|gpg,dirmngr,gpg-agent||/usr/bin/gpgconf,/usr/bin/gpg-connect-agent|GNU privacy guard - a free PGP replacement
gnupg1|1.4.23-1.1+b1|2140|||/usr/bin/gpg1,/usr/share/man/man1/gpg1.1.gz|GNU privacy guard - a PGP implementation (deprecated classic version)
gnupg2|2.2.40-1.1|53|gnupg||/usr/share/doc/gnupg2/copyright|GNU privacy guard - a free PGP replacement (dummy transitional package)
golang-1.19-go|1.19.8-2|265000|||/usr/lib/go-1.19/bin/go,/usr/lib/go-1.19/bin/gofmt,/usr/lib/go-1.19/pkg/tool/linux_amd64/compile|Go programming language compiler, linker, compiled stdlib
golang-go|2:1.19~1|45|golang-1.19-go||/usr/bin/go->../lib/go-1.19/bin/go,/usr/bin/gofmt->../lib/go-1.19/bin/gofmt|Go programming language compiler, linker, compiled stdlib
gosu|1.14-1+b10|2419|||/usr/sbin/gosu|Simple Go-based setuid+setgid+setgroups+exec
gpg|2.2.40-1.1|1682|||/usr/bin/gpg|GNU Privacy Guard -- minimalist public key operations
gpg-agent|2.2.40-1.1|930|||/usr/bin/gpg-agent|GNU privacy guard - cryptographic agent
htop|3.2.2-2|422|||/usr/bin/htop|interactive processes viewer
iproute2|6.1.0-3|3594|||/bin/ip,/sbin/ip->/bin/ip,/bin/ss|networking and traffic control tools
iputils-ping|3:20221126-1+deb12u1|118|||/bin/ping|Tools to test the reachability of network hosts
jq|1.6-2.1|102|libjq1||/usr/bin/jq|lightweight and flexible command-line JSON processor
less|590-2.1~deb12u2|368|||/usr/bin/less,/usr/bin/lesspipe|pager program similar to more
libavcodec59|7:5.1.6-0+deb12u1|19860|||/usr/lib/x86_64-linux-gnu/libavcodec.so.59.37.100|FFmpeg library with de/encoders for audio/video codecs
libc6-dev|2.36-9+deb12u9|12896|linux-libc-dev||/usr/include/stdio.h,/usr/lib/x86_64-linux-gnu/libc.a,/usr/lib/x86_64-linux-gnu/crt1.o|GNU C Library: Development Libraries and Header Files
libcurl4|7.88.1-10+deb12u8|1151|libssl3,libnghttp2-14,libpsl5,libssh2-1|ca-certificates|/usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0,/usr/lib/x86_64-linux-gnu/libcurl.so.4->libcurl.so.4.8.0|easy-to-use client-side URL transfer library (OpenSSL flavour)
libffi-dev|3.4.4-1|405|libffi8||/usr/include/x86_64-linux-gnu/ffi.h,/usr/lib/x86_64-linux-gnu/libffi.a|Foreign Function Interface library (development files)
libgcc-12-dev|12.2.0-14|12286|||/usr/lib/gcc/x86_64-linux-gnu/12/libgcc.a,/usr/lib/gcc/x86_64-linux-gnu/12/crtbegin.o|GCC support library (development files)
libjpeg62-turbo-dev|1:2.1.5-2|709|||/usr/include/jpeglib.h,/usr/lib/x86_64-linux-gnu/libjpeg.a|Development files for the libjpeg-turbo JPEG library
libjpeg-dev|1:2.1.5-2|14|libjpeg62-turbo-dev||/usr/share/doc/libjpeg-dev/copyright|Development files for the JPEG library [dummy package]
libjq1|1.6-2.1|404|libonig5||/usr/lib/x86_64-linux-gnu/libjq.so.1.0.4|lightweight and flexible command-line JSON processor - shared library
libmariadb-dev|1:10.11.6-0+deb12u1|2209|libssl-dev,zlib1g-dev||/usr/include/mariadb/mysql.h,/usr/bin/mariadb_config|MariaDB Connector/C, development files
libnghttp2-14|1.52.0-1+deb12u2|462|||/usr/lib/x86_64-linux-gnu/libnghttp2.so.14.24.1|library implementing HTTP/2 protocol (shared library)
libonig5|6.9.8-1|700|||/usr/lib/x86_64-linux-gnu/libonig.so.5.3.0,/usr/lib/x86_64-linux-gnu/libonig.so.5->libonig.so.5.3.0|regular expressions library
libperl5.36|5.36.0-7+deb12u1|28170|perl-modules-5.36||/usr/lib/x86_64-linux-gnu/libperl.so.5.36.0|shared Perl library
libpq-dev|15.10-0+deb12u1|903|libpq5,libssl-dev||/usr/include/postgresql/libpq-fe.h,/usr/bin/pg_config|header files for libpq5 (PostgreSQL library)
libpq5|15.10-0+deb12u1|952|libssl3||/usr/lib/x86_64-linux-gnu/libpq.so.5.15|PostgreSQL C client library
libpsl5|0.21.2-1|97|||/usr/lib/x86_64-linux-gnu/libpsl.so.5.3.4|Library for Public Suffix List (shared libraries)
libpython3.11-dev|3.11.2-6+deb12u5|22436|||/usr/lib/x86_64-linux-gnu/libpython3.11.a,/usr/include/python3.11/Python.h|Header files and a static library for Python (v3.11)
libpython3.11-stdlib|3.11.2-6+deb12u5|8106|||/usr/lib/python3.11/os.py,/usr/lib/python3.11/json/__init__.py,/usr/lib/python3.11/asyncio/__init__.py|Interactive high-level object-oriented language (standard library, version 3.11)
libssh2-1|1.10.0-3+b1|290|libssl3||/usr/lib/x86_64-linux-gnu/libssh2.so.1.0.1|SSH2 client-side library
libssl-dev|3.0.15-1~deb12u1|12005|libssl3||/usr/include/openssl/ssl.h,/usr/lib/x86_64-linux-gnu/libssl.a,/usr/lib/x86_64-linux-gnu/libcrypto.a|Secure Sockets Layer toolkit - development files
libssl3|3.0.15-1~deb12u1|6178|||/usr/lib/x86_64-linux-gnu/libssl.so.3,/usr/lib/x86_64-linux-gnu/libcrypto.so.3|Secure Sockets Layer toolkit - shared libraries
libstdc++-12-dev|12.2.0-14|20020|||/usr/include/c++/12/iostream,/usr/lib/gcc/x86_64-linux-gnu/12/libstdc++.a|GNU Standard C++ Library v3 (development files)
libxml2-dev|2.9.14+dfsg-1.3~deb12u1|3021|libxml2||/usr/include/libxml2/libxml/parser.h,/usr/lib/x86_64-linux-gnu/libxml2.a|GNOME XML library - development files
linux-libc-dev|6.1.119-1|7796|||/usr/include/linux/version.h|Linux support headers for userspace development
locales|2.36-9+deb12u9|16940|||/usr/sbin/locale-gen,/usr/sbin/update-locale,/usr/sbin/validlocale,/usr/share/i18n/SUPPORTED,/usr/share/i18n/charmaps/UTF-8.gz,/usr/share/i18n/charmaps/ISO-8859-1.gz,/usr/share/i18n/locales/en_US,/usr/share/i18n/locales/i18n,/etc/locale.gen,/etc/locale.alias,/usr/share/locale/locale.alias->/etc/locale.alias,/usr/lib/locale/|GNU C Library: National Language (locale) data [support]
lsb-release|12.0-1|48|||/usr/bin/lsb_release|Linux Standard Base version reporting utility (minimal implementation)
m4|1.4.19-3|631|||/usr/bin/m4|macro processing language
make|4.3-4.1|1592|||/usr/bin/make|utility for directing compilation
nano|7.2-1+deb12u1|2762|||/bin/nano|small, friendly text editor inspired by Pico
net-tools|2.10-0.1|1023|||/sbin/ifconfig,/bin/netstat,/sbin/route|NET-3 networking toolkit
netcat-openbsd|1.219-1|101|||/bin/nc.openbsd,/bin/nc->nc.openbsd|TCP/IP swiss army knife
nginx|1.22.1-9+deb12u1|1165|nginx-common||/usr/sbin/nginx|small, powerful, scalable web/proxy server
nginx-common|1.22.1-9+deb12u1|388|||/etc/nginx/nginx.conf,/etc/nginx/mime.types,/etc/nginx/conf.d/,/etc/nginx/sites-available/default,/etc/nginx/sites-enabled/default->/etc/nginx/sites-available/default,/var/www/html/index.nginx-debian.html,/var/log/nginx/,/var/lib/nginx/|small, powerful, scalable web/proxy server - common files
nodejs|18.19.0+dfsg-6~deb12u2|723|libnode108|ca-certificates|/usr/bin/node,/usr/bin/nodejs->node|evented I/O for V8 javascript - runtime executable
libnode108|18.19.0+dfsg-6~deb12u2|63421|||/usr/lib/x86_64-linux-gnu/libnode.so.108|evented I/O for V8 javascript - runtime library
npm|9.2.0~ds1-1|6153|nodejs||/usr/bin/npm,/usr/bin/npx,/usr/share/nodejs/npm/lib/npm.js|package manager for Node.js
openjdk-17-jre-headless|17.0.13+11-2~deb12u1|191532|ca-certificates||/usr/lib/jvm/java-17-openjdk-amd64/bin/java,/usr/lib/jvm/java-17-openjdk-amd64/lib/modules,/usr/bin/java->/usr/lib/jvm/java-17-openjdk-amd64/bin/java|OpenJDK Java runtime, using Hotspot JIT (headless)
openssh-client|1:9.2p1-2+deb12u3|5072|||/usr/bin/ssh,/usr/bin/scp,/usr/bin/ssh-keygen|secure shell (SSH) client, for secure access to remote machines
openssh-server|1:9.2p1-2+deb12u3|1985|openssh-client||/usr/sbin/sshd,/etc/ssh/sshd_config|secure shell (SSH) server, for secure access from remote machines
openssl|3.0.15-1~deb12u1|2291|libssl3|ca-certificates|/usr/bin/openssl,/usr/lib/ssl/openssl.cnf|Secure Sockets Layer toolkit - cryptographic utility
patch|2.7.6-7|252|||/usr/bin/patch|Apply a diff file to an original
perl|5.36.0-7+deb12u1|705|libperl5.36,perl-modules-5.36||/usr/bin/cpan,/usr/bin/perldoc|Larry Wall's Practical Extraction and Report Language
perl-modules-5.36|5.36.0-7+deb12u1|17903|||/usr/share/perl/5.36/CPAN.pm,/usr/share/perl/5.36/File/Temp.pm|Core Perl modules
pkg-config|1.8.1-1|150|||/usr/bin/pkg-config|manage compile and link flags for libraries (transitional package)
postgresql-common|248|760|libpq5||/etc/postgresql-common/createcluster.conf,/etc/postgresql-common/createcluster.d/,/usr/bin/pg_createcluster,/usr/bin/pg_ctlcluster,/usr/bin/pg_lsclusters,/usr/share/postgresql-common/pg_wrapper,/var/lib/postgresql/,/var/log/postgresql/|PostgreSQL database-cluster manager
postgresql-14|14.22-1.pgdg12+1|56000|postgresql-client-14,postgresql-common,libpq5||/usr/lib/postgresql/14/bin/postgres,/usr/lib/postgresql/14/bin/initdb,/usr/lib/postgresql/14/bin/pg_ctl,/usr/lib/postgresql/14/lib/plpgsql.so,/usr/share/postgresql/14/postgresql.conf.sample,/usr/share/postgresql/14/pg_hba.conf.sample,/usr/share/postgresql/14/extension/plpgsql.control|The World's Most Advanced Open Source Relational Database (PostgreSQL.org's packages)
postgresql-client-14|14.22-1.pgdg12+1|7000|libpq5||/usr/lib/postgresql/14/bin/psql,/usr/lib/postgresql/14/bin/pg_dump,/usr/lib/postgresql/14/bin/pg_restore|front-end programs for PostgreSQL 14 (PostgreSQL.org's packages)
postgresql-18|18.3-1.pgdg12+1|61000|postgresql-client-18,postgresql-common,libpq5||/usr/lib/postgresql/18/bin/postgres,/usr/lib/postgresql/18/bin/initdb,/usr/lib/postgresql/18/bin/pg_ctl,/usr/lib/postgresql/18/lib/plpgsql.so,/usr/share/postgresql/18/postgresql.conf.sample,/usr/share/postgresql/18/pg_hba.conf.sample,/usr/share/postgresql/18/extension/plpgsql.control|The World's Most Advanced Open Source Relational Database (PostgreSQL.org's packages)
postgresql-client-18|18.3-1.pgdg12+1|7625|libpq5||/usr/lib/postgresql/18/bin/psql,/usr/lib/postgresql/18/bin/pg_dump,/usr/lib/postgresql/18/bin/pg_restore|front-end programs for PostgreSQL 18 (PostgreSQL.org's packages)
postgresql-client|15+248|30|postgresql-client-15||/usr/share/doc/postgresql-client/copyright|front-end programs for PostgreSQL (supported version)
postgresql-client-15|15.10-0+deb12u1|6907|libpq5||/usr/lib/postgresql/15/bin/psql,/usr/lib/postgresql/15/bin/pg_dump,/usr/bin/psql->../lib/postgresql/15/bin/psql|front-end programs for PostgreSQL 15
procps|2:4.0.2-3|2244|||/usr/bin/ps,/usr/bin/top,/usr/bin/free,/usr/bin/pgrep,/usr/bin/watch|/proc file system utilities
python3|3.11.2-1+b1|90|python3.11||/usr/bin/python3->python3.11,/usr/bin/pydoc3->pydoc3.11|interactive high-level object-oriented language (default python3 version)
python3-dev|3.11.2-1+b1|30|python3.11-dev,python3||/usr/bin/python3-config->python3.11-config|header files and a static library for Python (default)
python3-pip|23.0.1+dfsg-1|6883|python3,python3-setuptools,python3-wheel|build-essential,python3-dev|/usr/bin/pip,/usr/bin/pip3,/usr/bin/pip3.11,/usr/lib/python3/dist-packages/pip/__init__.py,/usr/lib/python3/dist-packages/pip/_internal/cli/main.py|Python package installer
python3-setuptools|66.1.1-1|3335|python3||/usr/lib/python3/dist-packages/setuptools/__init__.py,/usr/lib/python3/dist-packages/pkg_resources/__init__.py|Python3 Distutils Enhancements
python3-venv|3.11.2-1+b1|10|python3.11-venv,python3||/usr/share/doc/python3-venv/copyright|venv module for python3 (default python3 version)
python3-wheel|0.38.4-2|145|python3||/usr/lib/python3/dist-packages/wheel/__init__.py|built-package format for Python
python3.11|3.11.2-6+deb12u5|2278|python3.11-minimal,libpython3.11-stdlib||/usr/bin/pydoc3.11,/usr/lib/python3.11/EXTERNALLY-MANAGED|Interactive high-level object-oriented language (version 3.11)
python3.11-dev|3.11.2-6+deb12u5|510|libpython3.11-dev,python3.11||/usr/bin/python3.11-config,/usr/include/python3.11/pyconfig.h|Header files and a static library for Python (v3.11)
python3.11-minimal|3.11.2-6+deb12u5|6042|||/usr/bin/python3.11,/usr/lib/python3.11/encodings/__init__.py|Minimal subset of the Python language (version 3.11)
python3.11-venv|3.11.2-6+deb12u5|2747|python3.11||/usr/lib/python3.11/ensurepip/_bundled/pip-23.0.1-py3-none-any.whl,/usr/lib/python3.11/ensurepip/_bundled/setuptools-66.1.1-py3-none-any.whl|Interactive high-level object-oriented language (pyvenv binary, version 3.11)
redis-server|5:7.0.15-1~deb12u1|1507|redis-tools||/usr/bin/redis-server,/etc/redis/redis.conf|Persistent key-value database with network interface
redis-tools|5:7.0.15-1~deb12u1|5008|||/usr/bin/redis-cli,/usr/bin/redis-benchmark|Persistent key-value database with network interface (client)
rsync|3.2.7-1|782|||/usr/bin/rsync|fast, versatile, remote (and local) file-copying tool
ruby|1:3.1|40|ruby3.1||/usr/bin/ruby->ruby3.1,/usr/bin/gem->gem3.1|Interpreter of object-oriented scripting language Ruby (default version)
ruby3.1|3.1.2-7+deb12u1|386|libruby3.1||/usr/bin/ruby3.1,/usr/bin/gem3.1|Interpreter of object-oriented scripting language Ruby
libruby3.1|3.1.2-7+deb12u1|16210|||/usr/lib/x86_64-linux-gnu/libruby-3.1.so.3.1.2|Libraries necessary to run Ruby 3.1
sqlite3|3.40.1-2+deb12u1|1783|||/usr/bin/sqlite3|Command line interface for SQLite 3
sudo|1.9.13p3-1+deb12u1|6551|||/usr/bin/sudo,/etc/sudoers|Provide limited super user privileges to specific users
supervisor|4.2.5-1|1917|python3||/usr/bin/supervisord,/usr/bin/supervisorctl,/etc/supervisor/supervisord.conf|System for controlling process state
tini|0.19.0-1|794|||/usr/bin/tini,/usr/bin/tini-static|tiny but valid init for containers
tzdata|2024a-0+deb12u1|3795|||/usr/share/zoneinfo/Etc/UTC,/usr/share/zoneinfo/Europe/Paris,/usr/share/zoneinfo/America/New_York|time zone and daylight-saving time data
unzip|6.0-28|398|||/usr/bin/unzip|De-archiver for .zip files
vim|2:9.0.1378-2|3949|vim-runtime||/usr/bin/vim.basic,/usr/bin/vim->vim.basic|Vi IMproved - enhanced vi editor
vim-runtime|2:9.0.1378-2|36424|||/usr/share/vim/vim90/syntax/python.vim,/usr/share/vim/vim90/doc/help.txt|Vi IMproved - Runtime files
wget|1.21.3-1+deb12u1|3636|libssl3,libpsl5|ca-certificates|/usr/bin/wget,/etc/wgetrc|retrieves files from the web
xz-utils|5.4.1-0.2|1549|||/usr/bin/xz,/usr/bin/unxz->xz,/usr/bin/xzcat->xz|XZ-format compression utilities
zip|3.0-13|656|||/usr/bin/zip|Archiver for .zip files
zlib1g-dev|1:1.2.13.dfsg-1|596|zlib1g||/usr/include/zlib.h,/usr/lib/x86_64-linux-gnu/libz.a|compression library - development
libbluetooth-dev|5.66-1+deb12u2|800|||/usr/include/bluetooth/bluetooth.h|Development files for using the BlueZ Linux Bluetooth library
libbz2-dev|1.0.8-5+b1|90|libbz2-1.0||/usr/include/bzlib.h,/usr/lib/x86_64-linux-gnu/libbz2.a|high-quality block-sorting file compressor library - development
libcurl4-openssl-dev|7.88.1-10+deb12u8|1900|libcurl4,libssl-dev||/usr/include/x86_64-linux-gnu/curl/curl.h,/usr/bin/curl-config|development files and documentation for libcurl (OpenSSL flavour)
libdb-dev|5.3.2|10|libdb5.3||/usr/share/doc/libdb-dev/copyright|Berkeley Database Libraries [development]
libexpat1-dev|2.5.0-1+deb12u1|800|||/usr/include/expat.h,/usr/lib/x86_64-linux-gnu/libexpat.a|XML parsing C library - development kit
libgdbm-compat-dev|1.23-3|60|libgdbm-dev,libgdbm-compat4||/usr/include/ndbm.h|GNU dbm database routines (legacy support development files)
libgdbm-dev|1.23-3|400|libgdbm6||/usr/include/gdbm.h,/usr/lib/x86_64-linux-gnu/libgdbm.a|GNU dbm database routines (development files)
libgmp-dev|2:6.2.1+dfsg1-1.1|1800|libgmp10||/usr/include/x86_64-linux-gnu/gmp.h,/usr/lib/x86_64-linux-gnu/libgmp.a|Multiprecision arithmetic library developers tools
liblzma-dev|5.4.1-0.2|900|liblzma5||/usr/include/lzma.h,/usr/lib/x86_64-linux-gnu/liblzma.a|XZ-format compression library - development files
libncurses-dev|6.4-4|1900|libncursesw6,libtinfo6||/usr/include/ncurses.h,/usr/lib/x86_64-linux-gnu/libncurses.a|developer's libraries for ncurses
libncursesw5-dev|6.4-4|10|libncurses-dev||/usr/share/doc/libncursesw5-dev/copyright|transitional package for libncurses-dev
libreadline-dev|8.2-1.3|700|libncurses-dev,libreadline8||/usr/include/readline/readline.h,/usr/lib/x86_64-linux-gnu/libreadline.a|GNU readline and history libraries, development files
libsodium-dev|1.0.18-1|1700|libsodium23||/usr/include/sodium.h,/usr/lib/x86_64-linux-gnu/libsodium.a|Network communication, cryptography and signaturing library - headers
libargon2-dev|0~20171227-0.3+deb12u1|100|libargon2-1||/usr/include/argon2.h|memory-hard hashing function - development files
libonig-dev|6.9.8-1|300|libonig5||/usr/include/oniguruma.h|regular expressions library - development files
libsqlite3-dev|3.40.1-2+deb12u1|2900|libsqlite3-0||/usr/include/sqlite3.h,/usr/lib/x86_64-linux-gnu/libsqlite3.a|SQLite 3 development files
libxslt1-dev|1.1.35-1|1600|libxml2-dev||/usr/include/libxslt/xslt.h|XSLT 1.0 processing library - development kit
libyaml-dev|0.2.5-1|250|libyaml-0-2||/usr/include/yaml.h,/usr/lib/x86_64-linux-gnu/libyaml.a|LibYAML - development files
libzstd-dev|1.5.4+dfsg2-5|1400|||/usr/include/zstd.h,/usr/lib/x86_64-linux-gnu/libzstd.a|fast lossless compression algorithm -- development files
netbase|6.4|41|||/etc/protocols,/etc/services|Basic TCP/IP networking system
tk-dev|8.6.13|10|||/usr/share/doc/tk-dev/copyright|Toolkit for Tcl and X11 (default version) - development files
uuid-dev|2.38.1-5+deb12u3|200|libuuid1||/usr/include/uuid/uuid.h,/usr/lib/x86_64-linux-gnu/libuuid.a|Universally Unique ID library - headers and static libraries
xsltproc|1.1.35-1|160|||/usr/bin/xsltproc|XSLT 1.0 command line processor
zstd|1.5.4+dfsg2-5|1700|||/usr/bin/zstd|fast lossless compression algorithm -- CLI tool
libsqlite3-0|3.40.1-2+deb12u1|1682|||/usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6,/usr/lib/x86_64-linux-gnu/libsqlite3.so.0->libsqlite3.so.0.8.6|SQLite 3 shared library
readline-common|8.2-1.3|89|||/usr/share/readline/inputrc|GNU readline and history libraries, common files
libreadline8|8.2-1.3|475|readline-common,libtinfo6||/lib/x86_64-linux-gnu/libreadline.so.8.2,/lib/x86_64-linux-gnu/libreadline.so.8->libreadline.so.8.2,/lib/x86_64-linux-gnu/libhistory.so.8.2,/lib/x86_64-linux-gnu/libhistory.so.8->libhistory.so.8.2|GNU readline and history libraries, run-time libraries
libncursesw6|6.4-4|412|libtinfo6||/lib/x86_64-linux-gnu/libncursesw.so.6.4,/lib/x86_64-linux-gnu/libncursesw.so.6->libncursesw.so.6.4,/usr/lib/x86_64-linux-gnu/libpanelw.so.6.4,/usr/lib/x86_64-linux-gnu/libpanelw.so.6->libpanelw.so.6.4,/usr/lib/x86_64-linux-gnu/libformw.so.6.4,/usr/lib/x86_64-linux-gnu/libformw.so.6->libformw.so.6.4,/usr/lib/x86_64-linux-gnu/libmenuw.so.6.4,/usr/lib/x86_64-linux-gnu/libmenuw.so.6->libmenuw.so.6.4|shared libraries for terminal handling (wide character support)
libgdbm6|1.23-3|129|||/usr/lib/x86_64-linux-gnu/libgdbm.so.6.0.0,/usr/lib/x86_64-linux-gnu/libgdbm.so.6->libgdbm.so.6.0.0|GNU dbm database routines (runtime version)
libgdbm-compat4|1.23-3|70|libgdbm6||/usr/lib/x86_64-linux-gnu/libgdbm_compat.so.4.0.0,/usr/lib/x86_64-linux-gnu/libgdbm_compat.so.4->libgdbm_compat.so.4.0.0|GNU dbm database routines (legacy support runtime version)
libyaml-0-2|0.2.5-1|152|||/usr/lib/x86_64-linux-gnu/libyaml-0.so.2.0.9,/usr/lib/x86_64-linux-gnu/libyaml-0.so.2->libyaml-0.so.2.0.9|Fast YAML 1.1 parser and emitter library
libargon2-1|0~20171227-0.3+deb12u1|54|||/usr/lib/x86_64-linux-gnu/libargon2.so.1|memory-hard hashing function - runtime library
libsodium23|1.0.18-1|353|||/usr/lib/x86_64-linux-gnu/libsodium.so.23.3.0,/usr/lib/x86_64-linux-gnu/libsodium.so.23->libsodium.so.23.3.0|Network communication, cryptography and signaturing library
libxml2|2.9.14+dfsg-1.3~deb12u1|1867|liblzma5,zlib1g||/usr/lib/x86_64-linux-gnu/libxml2.so.2.9.14,/usr/lib/x86_64-linux-gnu/libxml2.so.2->libxml2.so.2.9.14|GNOME XML library
";

const ALPINE: &str = "\
bash|5.2.21-r0|1240|readline||/bin/bash|The GNU Bourne Again shell
binutils|2.41-r0|7168|||/usr/bin/ld,/usr/bin/as,/usr/bin/strip|Tools necessary to build programs
build-base|0.5-r3|4|binutils,file,gcc,g++,make,libc-dev,fortify-headers,patch||/usr/share/doc/build-base|Meta package for build base
ca-certificates|20240226-r0|680|||/usr/sbin/update-ca-certificates,/etc/ssl/certs/ca-certificates.crt|Common CA certificates PEM files from Mozilla
mkcert|1.4.4-r24|4612|||/usr/bin/mkcert|Simple zero-config tool to make locally trusted development certificates
coreutils|9.4-r2|1036|||/bin/coreutils,/usr/bin/env->/bin/coreutils|The basic file, shell and text manipulation utilities
curl|8.5.0-r0|252|ca-certificates,libcurl||/usr/bin/curl|URL retrival utility and library
file|5.45-r1|8960|||/usr/bin/file|File type identification utility
findutils|4.9.0-r5|624|||/usr/bin/find,/usr/bin/xargs|GNU utilities for finding files
fortify-headers|1.1-r3|88|||/usr/include/fortify/stdio.h|standalone fortify-source implementation
g++|13.2.1_git20231014-r0|47424|gcc,libstdc++-dev||/usr/bin/g++,/usr/bin/c++|GNU C++ standard library and compiler
gcc|13.2.1_git20231014-r0|93696|binutils,libgcc,musl-dev||/usr/bin/gcc,/usr/bin/cc->gcc,/usr/libexec/gcc/x86_64-alpine-linux-musl/13.2.1/cc1|The GNU Compiler Collection
git|2.43.0-r0|13700|ca-certificates,libcurl||/usr/bin/git,/usr/libexec/git-core/git-remote-http|Distributed version control system
gnupg|2.4.4-r0|7316|||/usr/bin/gpg,/usr/bin/gpg-agent,/usr/bin/dirmngr,/usr/bin/gpgconf|GNU Privacy Guard 2 - meta package
go|1.21.10-r0|214000|||/usr/lib/go/bin/go,/usr/bin/go->/usr/lib/go/bin/go,/usr/bin/gofmt->/usr/lib/go/bin/gofmt|Go programming language compiler
grep|3.11-r0|500|||/bin/grep|Searches input files for lines containing a match to a specified pattern
gzip|1.13-r0|312|||/bin/gzip,/bin/gunzip->gzip|Popular data compression program
icu-libs|74.1-r0|36352|||/usr/lib/libicuuc.so.74,/usr/lib/libicudata.so.74|International Components for Unicode library
jq|1.7.1-r0|380|oniguruma||/usr/bin/jq|A lightweight and flexible command-line JSON processor
libc-dev|0.7.2-r5|4|musl-dev||/usr/share/doc/libc-dev|Meta package to pull in correct libc
libcurl|8.5.0-r0|516|ca-certificates,nghttp2-libs,zlib||/usr/lib/libcurl.so.4.8.0,/usr/lib/libcurl.so.4->libcurl.so.4.8.0|The multiprotocol file transfer library
libffi-dev|3.4.4-r3|72|libffi||/usr/include/ffi.h,/usr/lib/libffi.so|A portable, high level programming interface to various calling conventions (development files)
libgcc|13.2.1_git20231014-r0|236|||/usr/lib/libgcc_s.so.1|GNU C compiler runtime libraries
libpq|16.2-r0|1040|||/usr/lib/libpq.so.5.16|PostgreSQL client library
libpq-dev|16.2-r0|5148|libpq,openssl-dev||/usr/include/libpq-fe.h,/usr/bin/pg_config|PostgreSQL client library (development files)
libstdc++|13.2.1_git20231014-r0|2560|libgcc||/usr/lib/libstdc++.so.6.0.32|GNU C++ standard runtime library
libstdc++-dev|13.2.1_git20231014-r0|20480|libstdc++||/usr/include/c++/13.2.1/iostream|GNU C++ standard runtime library (development files)
linux-headers|6.5-r0|6676|||/usr/include/linux/version.h|Linux system headers
make|4.4.1-r2|284|||/usr/bin/make|GNU make utility to maintain groups of programs
musl-dev|1.2.4_git20230717-r4|10288|||/usr/include/stdio.h,/usr/lib/libc.a|the musl c library (libc) implementation (development files)
nghttp2-libs|1.58.0-r0|168|||/usr/lib/libnghttp2.so.14.25.1|Experimental HTTP/2 client, server and proxy (libraries)
nginx|1.24.0-r15|1244|||/usr/sbin/nginx,/etc/nginx/nginx.conf,/etc/nginx/http.d/default.conf,/var/log/nginx/,/var/lib/nginx/|HTTP and reverse proxy server (stable version)
nodejs|20.12.1-r0|44112|ca-certificates,icu-libs,libstdc++||/usr/bin/node|JavaScript runtime built on V8 engine - LTS version
npm|10.2.5-r0|8752|nodejs||/usr/bin/npm,/usr/bin/npx,/usr/lib/node_modules/npm/lib/npm.js|The package manager for JavaScript
oniguruma|6.9.9-r0|596|||/usr/lib/libonig.so.5.4.0,/usr/lib/libonig.so.5->libonig.so.5.4.0|a regular expressions library
openssh-client|9.6_p1-r0|3224|||/usr/bin/ssh,/usr/bin/scp,/usr/bin/ssh-keygen|OpenBSD's SSH client
openssl|3.1.4-r5|1684|||/usr/bin/openssl|Toolkit for Transport Layer Security (TLS)
openssl-dev|3.1.4-r5|2600|||/usr/include/openssl/ssl.h,/usr/lib/libssl.so|Toolkit for Transport Layer Security (TLS) (development files)
patch|2.7.6-r10|132|||/usr/bin/patch|Utility to apply diffs to files
pkgconf|2.1.0-r0|184|||/usr/bin/pkgconf,/usr/bin/pkg-config->pkgconf|development framework configuration tools
postgresql16-client|16.2-r0|2032|libpq||/usr/bin/psql,/usr/bin/pg_dump|PostgreSQL client
postgresql-client|16-r0|4|postgresql16-client||/usr/share/doc/postgresql-client|PostgreSQL client (metapackage)
mariadb-common|11.4.4-r1|56|||/etc/my.cnf,/etc/my.cnf.d/|MariaDB common files for both server and client
mariadb-client|11.4.4-r1|7428|mariadb-common,libstdc++,libncursesw,zlib||/usr/bin/mariadb,/usr/bin/mariadb-dump,/usr/bin/mariadb-admin,/usr/bin/mysql->mariadb,/usr/bin/mysqldump->mariadb-dump,/usr/bin/mysqladmin->mariadb-admin|MariaDB client
mysql-client|11.4.4-r1|4|mariadb-client||/usr/share/doc/mysql-client|Dummy package for mariadb-client
py3-pip|23.3.1-r0|7380|python3||/usr/bin/pip,/usr/bin/pip3,/usr/lib/python3.11/site-packages/pip/__init__.py|Tool for installing and managing Python packages
python3|3.11.9-r0|12452|readline,zlib||/usr/bin/python3.11,/usr/bin/python3->python3.11,/usr/lib/python3.11/os.py,/usr/lib/python3.11/EXTERNALLY-MANAGED|A high-level scripting language
readline|8.2.1-r2|296|libncursesw||/usr/lib/libreadline.so.8.2,/usr/lib/libreadline.so.8->libreadline.so.8.2|GNU readline library
sed|4.9-r2|244|||/bin/sed|GNU stream editor
shadow|4.14.2-r0|2400|||/usr/sbin/useradd,/usr/sbin/groupadd,/usr/sbin/usermod,/usr/sbin/userdel|PAM-using login and passwd utilities (usermod, useradd, ...)
su-exec|0.2-r3|28|||/sbin/su-exec|switch user and group id, setgroups and exec
sudo|1.9.15_p5-r0|3104|||/usr/bin/sudo,/etc/sudoers|Give certain users the ability to run some commands as root
supervisor|4.2.5-r4|1800|python3||/usr/bin/supervisord,/usr/bin/supervisorctl|A system for controlling process state
tar|1.35-r2|488|||/bin/tar|Utility used to store, backup, and transport files
tini|0.19.0-r2|36|||/sbin/tini|A tiny but valid init for containers
tzdata|2024a-r0|1388|||/usr/share/zoneinfo/UTC,/usr/share/zoneinfo/Europe/Paris|Timezone data
unzip|6.0-r14|336|||/usr/bin/unzip|Extract PKZIP-compressed files
wget|1.21.4-r0|480|||/usr/bin/wget|Network utility to retrieve files from the Web
xz|5.4.5-r0|184|||/usr/bin/xz,/usr/bin/unxz->xz|Library and CLI tools for XZ and LZMA compressed files
zip|3.0-r12|412|||/usr/bin/zip|Creates PKZIP-compatible .zip files
zlib|1.3.1-r0|100|||/lib/libz.so.1.3.1,/lib/libz.so.1->libz.so.1.3.1|A compression/decompression Library
zlib-dev|1.3.1-r0|116|zlib||/usr/include/zlib.h,/lib/libz.so|A compression/decompression Library (development files)
bzip2-dev|1.0.8-r6|40|libbz2||/usr/include/bzlib.h|Shared library for bz2 (development files)
curl-dev|8.5.0-r0|560|libcurl||/usr/include/curl/curl.h,/usr/bin/curl-config|The multiprotocol file transfer library (development files)
dpkg|1.22.1-r0|4100|||/usr/bin/dpkg,/usr/bin/dpkg-deb|The Debian Package Manager
dpkg-dev|1.22.1-r0|1300|dpkg||/usr/bin/dpkg-architecture|The Debian Package Manager (development files)
expat-dev|2.6.2-r0|180|||/usr/include/expat.h|XML Parser library written in C (development files)
gettext|0.22.3-r0|1520|||/usr/bin/envsubst,/usr/bin/gettext,/usr/bin/msgfmt|GNU locale utilities
gdbm-dev|1.23-r1|60|gdbm||/usr/include/gdbm.h|GNU dbm is a set of database routines that use extensible hashing (development files)
libffi|3.4.4-r3|60|||/usr/lib/libffi.so.8.1.2,/usr/lib/libffi.so.8->libffi.so.8.1.2|portable, high level programming interface to various calling conventions
libnsl-dev|2.0.1-r0|40|||/usr/include/rpcsvc/yp_prot.h|Public client interface for NIS(YP) (development files)
libtirpc-dev|1.3.4-r0|200|||/usr/include/tirpc/rpc/rpc.h|Transport Independent RPC library (development files)
ncurses-dev|6.4_p20231125-r0|900|libncursesw||/usr/include/ncurses.h|Development files for ncurses
perl|5.38.2-r0|17000|||/usr/bin/perl|Larry Wall's Practical Extraction and Report Language
pkgconfig|2.1.0-r0|4|pkgconf||/usr/share/doc/pkgconfig|virtual package provided by pkgconf
readline-dev|8.2.1-r2|300|readline||/usr/include/readline/readline.h|GNU readline library (development files)
rsync|3.2.7-r4|780|||/usr/bin/rsync|A file transfer program to keep remote files in sync
sqlite-dev|3.44.2-r0|9000|sqlite-libs||/usr/include/sqlite3.h|Lightweight SQL database (development files)
tcl-dev|8.6.13-r1|200|||/usr/include/tcl.h|The Tcl scripting language (development files)
tk-dev|8.6.13-r2|300|||/usr/include/tk.h|GUI toolkit for the Tcl scripting language (development files)
util-linux-dev|2.39.3-r0|600|libuuid||/usr/include/uuid/uuid.h|Util-linux development files
xz-dev|5.4.5-r0|250|xz-libs||/usr/include/lzma.h|Library and CLI tools for XZ and LZMA compressed files (development files)
yaml-dev|0.2.5-r2|60|yaml||/usr/include/yaml.h|YAML 1.1 parser and emitter written in C (development files)
zstd-dev|1.5.5-r8|350|||/usr/include/zstd.h|Zstandard - Fast real-time compression algorithm (development files)
m4|1.4.19-r3|230|||/usr/bin/m4|GNU macro processor
autoconf|2.71-r2|2100|m4,perl||/usr/bin/autoconf,/usr/bin/autoreconf,/usr/share/autoconf/autoconf/autoconf.m4f|A GNU tool for automatically configuring source code
sqlite-libs|3.48.0-r0|1516|||/usr/lib/libsqlite3.so.0.8.6,/usr/lib/libsqlite3.so.0->libsqlite3.so.0.8.6|Sqlite3 library
gdbm|1.24-r0|196|||/usr/lib/libgdbm.so.6.0.0,/usr/lib/libgdbm.so.6->libgdbm.so.6.0.0,/usr/lib/libgdbm_compat.so.4.0.0,/usr/lib/libgdbm_compat.so.4->libgdbm_compat.so.4.0.0|GNU dbm is a set of database routines that use extendible hashing
ncurses-terminfo-base|6.5_p20241006-r3|92|||/etc/terminfo/x/xterm,/etc/terminfo/v/vt100,/etc/terminfo/l/linux|Descriptions of common terminals
libncursesw|6.5_p20241006-r3|412|ncurses-terminfo-base||/usr/lib/libncursesw.so.6.5,/usr/lib/libncursesw.so.6->libncursesw.so.6.5|Console display library (wide character)
libbz2|1.0.8-r6|76|||/usr/lib/libbz2.so.1.0.8,/usr/lib/libbz2.so.1->libbz2.so.1.0.8|Shared library for bz2
xz-libs|5.6.3-r0|176|||/usr/lib/liblzma.so.5.6.3,/usr/lib/liblzma.so.5->liblzma.so.5.6.3|Library and CLI tools for XZ and LZMA compressed files (libraries)
libuuid|2.40.4-r0|40|||/usr/lib/libuuid.so.1.3.0,/usr/lib/libuuid.so.1->libuuid.so.1.3.0|DCE compatible Universally Unique Identifier library
yaml|0.2.5-r2|136|||/usr/lib/libyaml-0.so.2.0.9,/usr/lib/libyaml-0.so.2->libyaml-0.so.2.0.9|YAML 1.1 parser and emitter written in C
gmp|6.3.0-r2|452|||/usr/lib/libgmp.so.10.5.0,/usr/lib/libgmp.so.10->libgmp.so.10.5.0|free library for arbitrary precision arithmetic
argon2-libs|20190702-r5|56|||/usr/lib/libargon2.so.1|The password hash Argon2, winner of PHC (libraries)
libsodium|1.0.20-r0|380|||/usr/lib/libsodium.so.26.2.0,/usr/lib/libsodium.so.26->libsodium.so.26.2.0|Portable and packageable NaCl-based crypto library
libxml2|2.13.4-r3|1324|xz-libs,zlib||/usr/lib/libxml2.so.2.13.4,/usr/lib/libxml2.so.2->libxml2.so.2.13.4|XML parsing library, version 2
gnu-libiconv-libs|1.17-r2|1064|||/usr/lib/libiconv.so.2.6.1,/usr/lib/libiconv.so.2->libiconv.so.2.6.1|GNU charset conversion library for libc which doesn't implement it
";

const JAMMY: &str = include_str!("index_jammy.txt");
const NOBLE: &str = include_str!("index_noble.txt");

fn parse(text: &'static str) -> Vec<IndexEntry<'static>> {
    let list =
        |s: &'static str| -> Vec<&'static str> { s.split(',').filter(|x| !x.is_empty()).collect() };
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let f: Vec<&'static str> = line.split('|').collect();
            if f.len() != 7 {
                return None;
            }
            Some(IndexEntry {
                name: f[0],
                version: f[1],
                installed_kib: f[2].parse().ok()?,
                depends: list(f[3]),
                recommends: list(f[4]),
                files: list(f[5]),
                description: f[6],
                placeholder: false,
            })
        })
        .collect()
}

/// The Ubuntu overlay for `/etc/os-release`'s `ID` and `VERSION_CODENAME`, if any.
fn overlay(id: &str, codename: &str) -> Option<&'static str> {
    match (id, codename) {
        ("ubuntu", "jammy") => Some(JAMMY),
        ("ubuntu", "noble") => Some(NOBLE),
        _ => None,
    }
}

/// An overlay's `old=>new` renames.
fn renames(text: &'static str) -> Vec<(&'static str, &'static str)> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.contains('|'))
        .filter_map(|line| line.split_once("=>"))
        .collect()
}

/// The apt index of the release named by `/etc/os-release` (`ID`,
/// `VERSION_CODENAME`): Debian 12's lines, with Ubuntu's overlay laid over them
/// on jammy and noble (an overlay line replaces the Debian line of that name or
/// adds a package; a renamed library is dropped and dependencies name its
/// successor).
pub fn apt(id: &str, codename: &str) -> Vec<IndexEntry<'static>> {
    let mut entries = parse(DEBIAN);
    let Some(text) = overlay(id, codename) else {
        return entries;
    };
    let renamed = renames(text);
    entries.retain(|e| !renamed.iter().any(|(old, _)| *old == e.name));
    for e in entries.iter_mut() {
        for dep in e.depends.iter_mut().chain(e.recommends.iter_mut()) {
            if let Some((_, new)) = renamed.iter().find(|(old, _)| old == dep) {
                *dep = new;
            }
        }
    }
    for line in parse(text) {
        match entries.iter_mut().find(|e| e.name == line.name) {
            Some(e) => *e = line,
            None => entries.push(line),
        }
    }
    entries
}

/// The package that replaced `name` on the release (`ID`, `VERSION_CODENAME`),
/// which apt installs instead when `name` is asked for.
pub fn apt_successor(id: &str, codename: &str, name: &str) -> Option<&'static str> {
    let text = overlay(id, codename)?;
    renames(text)
        .into_iter()
        .find(|(old, _)| *old == name)
        .map(|(_, new)| new)
}

/// The Alpine index (apk).
pub fn alpine() -> Vec<IndexEntry<'static>> {
    parse(ALPINE)
}
