# guidepress in a container: the static (musl) release binary on Alpine,
# with git (for --changed-since) and CA certificates (for link checks and
# publishing). Built by .github/workflows/release.yml from the release
# archives, with the binary for each platform at linux/<arch>/guidepress in
# the build context:
#
#   docker run --rm -v "$PWD:/repo" -w /repo ghcr.io/<owner>/guidepress check
#
# Add --user "$(id -u):$(id -g)" when a command writes files (--fix, the
# link cache) so they keep your ownership.
#
# To build one from source instead: `cargo build --profile dist --target
# x86_64-unknown-linux-musl`, copy the binary to linux/amd64/guidepress in an
# empty folder, and run `docker build -f Dockerfile <folder>`.
FROM alpine:3.22
ARG TARGETPLATFORM
RUN apk add --no-cache git ca-certificates \
 && git config --system --add safe.directory '*'
COPY ${TARGETPLATFORM}/guidepress /usr/local/bin/guidepress
WORKDIR /repo
ENTRYPOINT ["guidepress"]
CMD ["check"]
