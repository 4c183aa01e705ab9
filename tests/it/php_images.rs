//! The php images (`php:8.3-apache`, `-cli`, `-fpm`) as PHP tutorials use them:
//! extensions built with `docker-php-ext-install` and enabled in conf.d, an Apache
//! module enabled, the site copied into /var/www/html; the config, history and
//! layers are the official image's with the tutorial's steps on top.

use crate::build::{assert_built, build_in, context_of};
use crate::support::started;
use layerlab::catalog;
use layerlab::container::RunArgs;
use layerlab::store::Store;

const EXT_DIR: &str = "/usr/local/lib/php/extensions/no-debug-non-zts-20230831";

/// The usual tutorial: PDO for MySQL, mod_rewrite, the site in the document root.
#[test]
fn a_php_apache_tutorial_builds_extensions_modules_and_site() {
    let dockerfile = "FROM php:8.3-apache\n\
        RUN docker-php-ext-install pdo pdo_mysql\n\
        RUN a2enmod rewrite\n\
        COPY src/ /var/www/html/\n\
        RUN php -v | head -1 && php -m | grep -x -e PDO -e pdo_mysql -e 'Zend OPcache'\n";
    let files = [
        ("src/index.php", "<?php\necho 'hello';\n"),
        ("src/.htaccess", "RewriteEngine On\n"),
    ];
    let mut store = Store::new();
    let out = build_in(&mut store, dockerfile, &context_of(&files));
    assert_built(&out);

    // docker-php-ext-install: pdo is built in (the real script warns and skips
    // it), pdo_mysql is built, installed and enabled; the source tree is gone.
    let install = &out.steps[1];
    assert!(
        install
            .output
            .contains("warning: pdo (pdo.so) is already loaded!"),
        "{}",
        install.output
    );
    let read = |fs: &layerlab::vfs::Vfs, path: &str| {
        String::from_utf8(fs.read_file(path).unwrap().bytes().into_owned()).unwrap()
    };
    assert_eq!(
        read(
            &install.fs,
            "/usr/local/etc/php/conf.d/docker-php-ext-pdo_mysql.ini"
        ),
        "extension=pdo_mysql.so\n"
    );
    assert!(!install
        .fs
        .exists("/usr/local/etc/php/conf.d/docker-php-ext-pdo.ini"));
    assert!(!install.fs.exists("/usr/src/php"));

    // a2enmod: the relative link Debian's script makes, to the real .load text.
    let rewrite = &out.steps[2].fs;
    assert_eq!(
        rewrite
            .read_link("/etc/apache2/mods-enabled/rewrite.load")
            .unwrap(),
        "../mods-available/rewrite.load"
    );
    assert_eq!(
        read(rewrite, "/etc/apache2/mods-enabled/rewrite.load"),
        "LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\n"
    );
    assert_eq!(
        read(&out.steps[3].fs, "/var/www/html/index.php"),
        "<?php\necho 'hello';\n"
    );
    assert_eq!(
        out.steps[4].output,
        "PHP 8.3.24 (cli) (built: Aug 12 2025 00:00:00) (NTS)\nPDO\npdo_mysql\nZend OPcache\nZend OPcache\n"
    );

    // The layers: the base image's, then one per RUN and COPY of the tutorial.
    let base = catalog::resolve("php:8.3-apache").unwrap();
    let id = out.image_id.unwrap();
    let layers = store.layers_of(&id).unwrap();
    assert_eq!(layers.len(), base.layers.len() + 4);
    let paths = |i: usize| -> Vec<String> {
        layers[base.layers.len() + i]
            .entries()
            .iter()
            .map(|e| e.path.clone())
            .collect()
    };
    let ext = paths(0);
    for path in [
        "usr/local/lib/php/extensions/no-debug-non-zts-20230831/pdo_mysql.so",
        "usr/local/lib/php/extensions/no-debug-non-zts-20230831/pdo.so",
        "usr/local/etc/php/conf.d/docker-php-ext-pdo_mysql.ini",
    ] {
        assert!(ext.iter().any(|p| p == path), "{path} not in {ext:?}");
    }
    assert!(
        !ext.iter().any(|p| p.starts_with("usr/src/php/")),
        "{ext:?}"
    );
    assert!(paths(1)
        .iter()
        .any(|p| p == "etc/apache2/mods-enabled/rewrite.load"));
    assert!(paths(2).iter().any(|p| p == "var/www/html/.htaccess"));

    // The config is the official image's: docker-php-entrypoint starting
    // apache2-foreground from the document root, port 80, Apache's graceful stop.
    let image = &store.image(&id).unwrap().image;
    let config = &image.config;
    assert_eq!(config.entrypoint, ["docker-php-entrypoint"]);
    assert_eq!(config.cmd, ["apache2-foreground"]);
    assert_eq!(config.working_dir, "/var/www/html");
    assert_eq!(config.exposed_ports.iter().collect::<Vec<_>>(), ["80/tcp"]);
    assert_eq!(config.stop_signal, "SIGWINCH");
    for var in [
        "PHP_INI_DIR=/usr/local/etc/php",
        "PHP_VERSION=8.3.24",
        "APACHE_CONFDIR=/etc/apache2",
        "APACHE_ENVVARS=/etc/apache2/envvars",
        "PHPIZE_DEPS=autoconf \t\tdpkg-dev \t\tfile \t\tg++ \t\tgcc \t\tlibc-dev \t\tmake \t\tpkg-config \t\tre2c",
        "PHP_URL=https://www.php.net/distributions/php-8.3.24.tar.xz",
    ] {
        assert!(config.env.iter().any(|e| e == var), "{var}: {:?}", config.env);
    }

    // History: the base image's entries (with empty ones for ENV, EXPOSE...),
    // then the tutorial's four steps.
    let history: Vec<&str> = image
        .history
        .iter()
        .map(|h| h.created_by.as_str())
        .collect();
    assert_eq!(history.len(), base.history.len() + 4);
    for entry in [
        "ENV PHP_VERSION=8.3.24",
        "RUN /bin/sh -c a2dismod mpm_event && a2enmod mpm_prefork # buildkit",
        "ENTRYPOINT [\"docker-php-entrypoint\"]",
        "STOPSIGNAL SIGWINCH",
        "WORKDIR /var/www/html",
        "EXPOSE [80/tcp]",
        "CMD [\"apache2-foreground\"]",
    ] {
        assert!(history.contains(&entry), "{entry}: {history:#?}");
    }
    assert_eq!(
        &history[history.len() - 4..],
        [
            "RUN /bin/sh -c docker-php-ext-install pdo pdo_mysql # buildkit",
            "RUN /bin/sh -c a2enmod rewrite # buildkit",
            "COPY src/ /var/www/html/ # buildkit",
            "RUN /bin/sh -c php -v | head -1 && php -m | grep -x -e PDO -e pdo_mysql -e 'Zend OPcache' # buildkit",
        ]
    );
}

/// An extension PHP does not ship fails as the real script does: its error, then
/// the usage with the extensions there are.
#[test]
fn an_unknown_extension_fails_with_the_scripts_error() {
    let dockerfile = "FROM php:8.3-cli\nRUN docker-php-ext-install mysql\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&[]));
    let error = out.error.expect("mysql was removed in PHP 7").to_string();
    assert!(error.contains("exit code: 1"), "{error}");
    let log = out.log.join("\n");
    assert!(
        log.contains("error: /usr/src/php/ext/mysql does not exist"),
        "{log}"
    );
    assert!(log.contains(" mysqli mysqlnd "), "{log}");
}

/// docker-php-ext-configure then -install, and PECL: gd configured with options,
/// an extension from PECL enabled by name, `php -m` listing both.
#[test]
fn configure_then_install_and_pecl_extensions_are_enabled() {
    let dockerfile = "FROM php:8.3-fpm\n\
        RUN apt-get update && apt-get install -y libpng-dev libjpeg62-turbo-dev \
            && docker-php-ext-configure gd --with-jpeg \
            && docker-php-ext-install -j$(nproc) gd \
            && pecl install redis-6.0.2 \
            && docker-php-ext-enable redis \
            && rm -rf /tmp/pear \
            && php -m | grep -x -e gd -e redis\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&[]));
    assert_built(&out);
    let step = &out.steps[1];
    assert!(step.output.ends_with("gd\nredis\n"), "{}", step.output);
    assert!(step
        .output
        .contains("install ok: channel://pecl.php.net/redis-6.0.2\n"));
    for (ini, line) in [
        ("docker-php-ext-gd.ini", "extension=gd.so\n"),
        ("docker-php-ext-redis.ini", "extension=redis.so\n"),
    ] {
        let text = step
            .fs
            .read_file(&format!("/usr/local/etc/php/conf.d/{ini}"))
            .unwrap()
            .bytes()
            .into_owned();
        assert_eq!(String::from_utf8(text).unwrap(), line);
    }
    assert!(step.fs.exists(&format!("{EXT_DIR}/redis.so")));
    assert!(!step.fs.exists("/usr/src/php"));
}

/// An extension whose library is missing fails in configure as PHP's does
/// (pkg-config's words); with the -dev package installed it builds.
#[test]
fn an_extension_needs_its_library_s_dev_package() {
    let dockerfile = "FROM php:8.3-cli\nRUN docker-php-ext-install zip\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&[]));
    assert!(out.error.is_some());
    let log = out.log.join("\n");
    assert!(
        log.contains(
            "configure: error: Package requirements (libzip >= 0.11 libzip != 1.3.1 libzip != 1.7.0) were not met:"
        ),
        "{log}"
    );
    assert!(log.contains("No package 'libzip' found"), "{log}");
    let dockerfile = "FROM php:8.3-cli\n\
        RUN apt-get update && apt-get install -y libzip-dev && docker-php-ext-install zip\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&[]));
    assert_built(&out);
    assert!(out.steps[1].fs.exists(&format!("{EXT_DIR}/zip.so")));
}

/// `docker run php:8.3-cli -m`: the entrypoint hands an option to php, as
/// docker-php-entrypoint does, and php lists the image's modules.
#[test]
fn the_cli_entrypoint_passes_options_to_php() {
    let mut store = Store::new();
    let out = build_in(&mut store, "FROM php:8.3-cli\n", &context_of(&[]));
    assert_built(&out);
    let args = RunArgs {
        command: vec!["-m".to_string()],
        entrypoint: None,
    };
    let (_, run) = started(&store, &out.image_id.unwrap(), &args);
    assert_eq!(run.exit_code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with("[PHP Modules]\nCore\nctype\ncurl\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("\n[Zend Modules]\nZend OPcache\n\n"),
        "{}",
        run.stdout
    );
}

/// `php --ini` names the image's configuration places and the files conf.d holds
/// (no php.ini until a Dockerfile copies one of the examples there).
#[test]
fn php_ini_lists_the_scanned_files() {
    let dockerfile = "FROM php:8.3-cli\n\
        RUN php --ini\n\
        RUN cp \"$PHP_INI_DIR/php.ini-production\" \"$PHP_INI_DIR/php.ini\" && php --ini | sed -n 2p\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&[]));
    assert_built(&out);
    assert_eq!(
        out.steps[1].output,
        "Configuration File (php.ini) Path: /usr/local/etc/php\n\
         Loaded Configuration File:         (none)\n\
         Scan for additional .ini files in: /usr/local/etc/php/conf.d\n\
         Additional .ini files parsed:      /usr/local/etc/php/conf.d/docker-php-ext-opcache.ini,\n\
         /usr/local/etc/php/conf.d/docker-php-ext-sodium.ini\n\n"
    );
    assert_eq!(
        out.steps[2].output,
        "Loaded Configuration File:         /usr/local/etc/php/php.ini\n"
    );
}
