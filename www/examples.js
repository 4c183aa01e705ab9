// The example projects, as data: the page's Examples menu and the <layer-lab src="name">
// element both read this module, so a lesson and the playground show the same files.
// Each example is { name, title, lesson, dockerfile, files: { path: text } }.

/** @typedef {{ name: string, title: string, lesson: string, dockerfile: string, files: Record<string, string> }} Example */

const pythonMain = `from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello from a layered image!"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
`;

/** @type {Example[]} */
export const examples = [
  {
    name: 'python',
    title: 'Python app (the seed example)',
    lesson:
      'A small Flask app on the official slim Python image. The base image brings the ' +
      'operating system files and Python itself; each COPY and RUN adds one layer on top. ' +
      'requirements.txt is copied and installed before the rest of the code, so editing ' +
      'main.py only rebuilds the last COPY: the pip install step stays cached.',
    dockerfile: `FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "main.py"]
`,
    files: {
      'main.py': pythonMain,
      'requirements.txt': 'flask\n',
    },
  },
  {
    name: 'python-ubuntu',
    title: 'Python app on ubuntu (why it fails)',
    lesson:
      'The same app written the way many tutorials first show it, on a plain ubuntu base. ' +
      'It fails at the RUN step: ubuntu ships neither Python nor pip, so "pip: not found" ' +
      'ends the build. A base image is only the files someone put in it; pick one that ' +
      'already has your runtime (python:3.12-slim) or install it first with apt-get.',
    dockerfile: `FROM ubuntu:latest
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "main.py"]
`,
    files: {
      'main.py': pythonMain,
      'requirements.txt': 'flask\n',
    },
  },
  {
    name: 'go-multistage',
    title: 'Go, multi-stage build',
    lesson:
      'The first stage has the whole Go toolchain and compiles a static binary; the second ' +
      'stage starts again from a tiny base and copies only that binary across with ' +
      'COPY --from=build. Nothing of the first stage (compiler, sources, module cache) ends ' +
      'up in the final image, which is why its layer stack is so short.',
    dockerfile: `# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod ./
COPY main.go ./
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM alpine:3.20
COPY --from=build /out/hello /usr/local/bin/hello
USER 65534
ENTRYPOINT ["/usr/local/bin/hello"]
`,
    files: {
      'go.mod': 'module example.com/hello\n\ngo 1.22\n',
      'main.go': `package main

import "fmt"

func main() {
	fmt.Println("hello from a two-stage build")
}
`,
    },
  },
  {
    name: 'go-distroless',
    title: 'Go on distroless (Docker\'s Go guide)',
    lesson:
      'Docker\'s Go guide ends on gcr.io/distroless/base-debian11: an image with glibc, ' +
      'OpenSSL, CA certificates, time zones and an /etc/passwd holding root, nobody and ' +
      'nonroot (65532), but no shell, no package manager and no Go. USER nonroot:nonroot ' +
      'is looked up in that passwd file. Add RUN ls to the last stage to see why all work ' +
      'happens in the build stage: there is no /bin/sh to run it (the :debug tag has ' +
      'busybox at /busybox/sh).',
    dockerfile: `# syntax=docker/dockerfile:1
FROM golang:1.23 AS build-stage
WORKDIR /app
COPY go.mod main.go ./
RUN CGO_ENABLED=0 GOOS=linux go build -o /docker-gs-ping

FROM gcr.io/distroless/base-debian11 AS build-release-stage
WORKDIR /
COPY --from=build-stage /docker-gs-ping /docker-gs-ping
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/docker-gs-ping"]
`,
    files: {
      'go.mod': 'module github.com/docker/docker-gs-ping\n\ngo 1.23\n',
      'main.go': `package main

import "net/http"

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("Hello, Docker!"))
	})
	http.ListenAndServe(":8080", nil)
}
`,
    },
  },
  {
    name: 'node',
    title: 'Node app',
    lesson:
      'The package manifests are copied first and npm ci runs on them alone, so the ' +
      'node_modules layer is reused until the dependencies change. .dockerignore keeps ' +
      'a local node_modules folder out of the build context; without it, COPY . . would ' +
      'copy it over the freshly installed one.',
    dockerfile: `FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
EXPOSE 3000
CMD ["node", "server.js"]
`,
    files: {
      '.dockerignore': 'node_modules\nnpm-debug.log\n.git\n',
      'package.json': `{
  "name": "hello-layers",
  "version": "1.0.0",
  "main": "server.js",
  "dependencies": {}
}
`,
      'package-lock.json': `{
  "name": "hello-layers",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": { "name": "hello-layers", "version": "1.0.0" }
  }
}
`,
      'server.js': `const http = require('node:http');

http
  .createServer((req, res) => res.end('hello from node\\n'))
  .listen(3000);
`,
    },
  },
  {
    name: 'httpd-site',
    title: 'Static site on Apache httpd',
    lesson:
      'The httpd image\'s own README: the site is copied into /usr/local/apache2/htdocs, ' +
      'where Apache serves it, and its index.html hides the base image\'s "It works!" page ' +
      '(the lower layer keeps it). The RUN turns on mod_rewrite with sed from the image\'s ' +
      'WORKDIR: one changed line, yet the whole conf/httpd.conf lands in that layer, because ' +
      'a layer records whole files. httpd -v prints the version the image was built with.',
    dockerfile: `FROM httpd:2.4
COPY ./public-html/ /usr/local/apache2/htdocs/
RUN sed -i 's/#LoadModule rewrite_module/LoadModule rewrite_module/' conf/httpd.conf \\
 && httpd -v
`,
    files: {
      'public-html/index.html': '<!doctype html>\n<title>Layers</title>\n<h1>Served from a layer</h1>\n',
      'public-html/style.css': 'h1 { font-family: sans-serif; }\n',
    },
  },
  {
    name: 'spring-boot',
    title: 'Java: Spring Boot built by Maven, run on the JRE',
    lesson:
      'The Spring Boot guides\' multi-stage build. pom.xml is copied alone and ' +
      '"mvn dependency:go-offline" fills ~/.m2 in its own layer, so editing the Java source ' +
      'rebuilds only from COPY src: the dependency download stays CACHED. The final stage is ' +
      'the small JRE image plus one jar; the JDK, Maven and ~/.m2 stay behind in the build ' +
      'stage. Maven and the JVM are simulated: dependencies and classes are placeholder ' +
      'files with realistic sizes, and the jar is a real zip with Spring Boot\'s manifest.',
    dockerfile: `FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /app
COPY pom.xml .
RUN mvn dependency:go-offline
COPY src ./src
RUN mvn package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /app/target/*.jar app.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "app.jar"]
`,
    files: {
      'pom.xml': `<?xml version="1.0" encoding="UTF-8"?>
<project>
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.3.5</version>
  </parent>
  <groupId>com.example</groupId>
  <artifactId>demo</artifactId>
  <version>0.0.1-SNAPSHOT</version>
  <properties>
    <java.version>17</java.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-maven-plugin</artifactId>
      </plugin>
    </plugins>
  </build>
</project>
`,
      'src/main/java/com/example/demo/DemoApplication.java': `package com.example.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class DemoApplication {
    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
`,
    },
  },
  {
    name: 'php-apache',
    title: 'PHP on Apache with extensions',
    lesson:
      'The php image\'s apache variant. docker-php-ext-install unpacks PHP\'s source, builds ' +
      'the two PDO extensions and deletes the source again in the same RUN, so only the .so ' +
      'files and their ini files land in that layer. a2enmod adds one symbolic link, a tiny ' +
      'layer. The site is copied last, so editing it rebuilds nothing else. Compilation is ' +
      'simulated (placeholder .so files) and PHP code does not run.',
    dockerfile: `FROM php:8.3-apache
RUN docker-php-ext-install pdo pdo_mysql
RUN a2enmod rewrite
COPY src/ /var/www/html/
`,
    files: {
      'src/index.php': '<?php\necho "Served from a layer";\n',
      'src/.htaccess': 'RewriteEngine On\n',
    },
  },
  {
    name: 'apt-cleanup',
    title: 'Lesson: cleanup in a later RUN',
    lesson:
      'The first RUN downloads package lists and installs curl; the second RUN deletes the ' +
      'lists. The image does not get smaller: the files still sit in the first layer, and ' +
      'the second layer only adds whiteouts that hide them. Compare the sizes of the two ' +
      'RUN layers, then merge the cleanup into the same RUN (with &&) to really save space.',
    dockerfile: `FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
RUN rm -rf /var/lib/apt/lists/*

# The version that really saves the space:
# RUN apt-get update && apt-get install -y curl \\
#  && rm -rf /var/lib/apt/lists/*
`,
    files: {},
  },
  {
    name: 'cache-busting',
    title: 'Lesson: COPY . . before the install',
    lesson:
      'Here the whole context is copied before pip install. Any edit to any file, even a ' +
      'comment in main.py, changes the COPY . . cache key, so that step and every step after ' +
      'it (including the slow install) run again. Edit main.py, build again and look at which ' +
      'steps are CACHED; then compare with the Python app example.',
    dockerfile: `FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "main.py"]
`,
    files: {
      'main.py': pythonMain,
      'requirements.txt': 'flask\n',
    },
  },
  {
    name: 'mounts',
    title: 'Lesson: RUN --mount (bind, cache, secret)',
    lesson:
      'RUN --mount lends one step files without putting them in its layer. The bind mount ' +
      'shows requirements.txt to pip only: it is not in /app after that step, yet editing it ' +
      'makes the step miss, because its contents are part of the key. The cache mount keeps ' +
      'pip\'s downloads from one build to the next outside every layer. The last RUN reads a ' +
      'token: add token=anything under Build secrets and rebuild; the value is in no layer, ' +
      'no history entry and no share link, and changing it keeps the step cached.',
    dockerfile: `# syntax=docker/dockerfile:1
FROM python:3.12-slim
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/pip \\
    --mount=type=bind,source=requirements.txt,target=requirements.txt \\
    pip install -r requirements.txt
COPY main.py .
RUN --mount=type=secret,id=token \\
    if [ -f /run/secrets/token ]; then echo "the token has $(wc -c < /run/secrets/token) bytes"; else echo "no token given"; fi
CMD ["python", "main.py"]
`,
    files: {
      'requirements.txt': 'flask==3.0.3\n',
      'main.py': 'print("hello from a mounted build")\n',
    },
  },
  {
    name: 'whiteouts',
    title: 'Lesson: whiteouts and opaque directories',
    lesson:
      'Layers never change the layers below them. Deleting a file from a lower layer writes ' +
      'a whiteout (.wh.name) in the new layer; replacing a whole directory writes an opaque ' +
      'marker (.wh..wh..opq) that hides everything the lower layers had there. The merged ' +
      'view shows the result; the layer tars show how it is recorded.',
    dockerfile: `FROM alpine:3.20
COPY config/ /etc/demo/
RUN rm /etc/demo/old.conf
RUN rm -rf /etc/demo && mkdir /etc/demo && echo fresh > /etc/demo/new.conf
`,
    files: {
      'config/app.conf': 'mode = production\n',
      'config/old.conf': 'mode = legacy\n',
    },
  },
];

/** The example the page opens with when there is nothing to restore. */
export const defaultExample = examples[0];

/** The example with this name, or undefined. */
export function exampleNamed(name) {
  return examples.find((example) => example.name === name);
}
