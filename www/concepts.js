// Short explanations of the ideas the panels show, in our own words. Panels link to
// them by id (a "?" button opens the help drawer at that entry).

/** @type {{ id: string, title: string, paragraphs: string[] }[]} */
export const concepts = [
  {
    id: 'base-image',
    title: 'bootfs and the base image',
    paragraphs: [
      'A container does not boot its own kernel: it shares the host\'s kernel, which the ' +
        'host booted once (the bootfs, with the boot loader and kernel, belongs to the host). ' +
        'What an image provides is the root filesystem, the files a process sees at /.',
      'The base image named by FROM is that starting root filesystem: the directories, ' +
        'libraries and tools someone packed into layers. If it has no python or pip, ' +
        'neither does your image until a step installs them.',
    ],
  },
  {
    id: 'intermediate-images',
    title: 'Intermediate images',
    paragraphs: [
      'Each instruction starts from the result of the previous one and produces a new ' +
        'image: same layers as before plus (maybe) one more, and an updated config. These ' +
        'intermediate images are what the build cache reuses, and what the timeline lets ' +
        'you select: the filesystem "as of step 3" is the image after step 3.',
      'Only the last image of the target stage gets a name (a tag); the others stay ' +
        'anonymous, which is why docker history shows them as <missing>.',
    ],
  },
  {
    id: 'empty-layers',
    title: 'Empty layers',
    paragraphs: [
      'Instructions such as ENV, LABEL, EXPOSE, USER, CMD and ENTRYPOINT only change the ' +
        'image config (metadata). They add a history entry marked empty_layer and no ' +
        'filesystem layer, so they cost 0 bytes.',
      'RUN, COPY and ADD change files and add a layer. WORKDIR adds a small layer when it ' +
        'has to create the directory.',
    ],
  },
  {
    id: 'union-filesystem',
    title: 'Union filesystem and whiteouts',
    paragraphs: [
      'An image is a stack of layers, each a tar of the files that changed. The container ' +
        'sees one merged tree: for every path, the version from the highest layer that has ' +
        'it wins; lower versions are shadowed, still stored, still counted in the image size.',
      'A layer cannot modify the layers below it, so a deletion is recorded as a whiteout: ' +
        'an empty marker file named .wh.<name> that hides <name> from lower layers. A ' +
        'directory marked opaque (.wh..wh..opq) hides all of its lower contents at once. ' +
        'This is why deleting files in a later step never makes an image smaller.',
    ],
  },
  {
    id: 'container-layer',
    title: 'The writable container layer',
    paragraphs: [
      'Running a container puts one more, writable layer on top of the read-only image ' +
        'layers. New files go there. Changing a file that lives in an image layer first ' +
        'copies the whole file up into the writable layer (copy-up), then changes the copy.',
      'docker diff lists what the writable layer holds (A added, C changed, D deleted); ' +
        'docker commit turns that layer into a new image layer. Removing the container ' +
        'throws the layer away.',
    ],
  },
  {
    id: 'cache-keys',
    title: 'Cache keys',
    paragraphs: [
      'Before running a step the builder computes a key from the parent image and the ' +
        'step itself: the instruction text and its environment for RUN, and a checksum of ' +
        'the copied files\' contents and metadata for COPY and ADD. If a previous build ' +
        'produced a layer under that key, the step is CACHED and reused.',
      'A miss changes the parent of every later step, so everything after the first miss ' +
        'runs again. That is why instructions that change often (COPY . .) belong near the ' +
        'end, after the slow dependency installs.',
      'RUN --mount changes what one step sees without changing what it leaves: a bind ' +
        'mount shows context files while the step runs (their contents enter the key, as ' +
        'with COPY, but nothing is copied into the layer); a cache mount keeps a directory ' +
        'such as pip\'s or Go\'s cache from one build to the next, outside every layer and ' +
        'every key; a secret mount shows a file to that step only, so a token an install ' +
        'needs ends up in no layer, no history and no key.',
    ],
  },
  {
    id: 'shared-layers',
    title: 'Shared layers: downloaded once, reused',
    paragraphs: [
      'A layer is stored under the digest of its contents, so two images that start from ' +
        'the same base image, or a build and its own intermediate images, point at the very ' +
        'same layers instead of holding copies. A pull skips every layer the store already ' +
        'has; that is what "Already exists" means in docker pull\'s output.',
      'This is why the sizes docker images lists add up to more than the disk space used: ' +
        'each image counts its shared layers in full, but the store keeps them once. ' +
        'docker system df -v shows both: SHARED SIZE and UNIQUE SIZE per image.',
    ],
  },
  {
    id: 'distroless',
    title: 'Distroless images',
    paragraphs: [
      'A distroless image (gcr.io/distroless/...) holds a program\'s runtime needs and ' +
        'nothing else: no shell, no package manager, no ls. static has CA certificates, time ' +
        'zones and /etc/passwd; base adds glibc and OpenSSL; cc adds the C++ runtime. Google ' +
        'builds them with Bazel from Debian packages (each listed in /var/lib/dpkg/status.d), ' +
        'so docker history shows "bazel build ..." dated 1970.',
      'With no /bin/sh, a RUN cannot start in them: the work happens in an earlier stage ' +
        'and COPY --from brings the result. The nonroot tags run as user 65532 in ' +
        '/home/nonroot, and USER nonroot works because that name is in the image\'s ' +
        '/etc/passwd. The debug tags add busybox under /busybox for looking around.',
    ],
  },
  {
    id: 'builders',
    title: 'BuildKit and the classic builder',
    paragraphs: [
      'Docker has had two builders. The classic one runs each instruction in a container ' +
        'and commits it as an image; BuildKit, the default since Docker 23, turns the ' +
        'Dockerfile into a graph and runs only what the target needs.',
      'Both produce images that run the same way, but the details differ: the history ' +
        'strings (the classic builder writes /bin/sh -c #(nop) for metadata steps), when ' +
        'WORKDIR makes a layer, how a deletion is written in a layer, and how cache keys ' +
        'are computed. Comparing both shows which parts of an image are a builder\'s choice.',
    ],
  },
];
