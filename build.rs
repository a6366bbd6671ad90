//! Embeds what the binary carries so it works in a repository that holds
//! only `content/`: the guide and author schemas (`schemas/`), the spelling
//! dictionaries (`dictionaries/`) and every official data snapshot under
//! `data/` (`data/<set>/<release>.csv`, e.g. `data/oews/2025A01.csv`). Each
//! file is deflate-compressed (zlib format, level 9) into `OUT_DIR`, and `OUT_DIR/builtin.rs` lists them for
//! `src/builtin.rs`. A file added under `data/` is picked up by the next
//! build without a code change. Files in the repository a command runs in
//! override these at run time.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The schemas and dictionaries embedded, relative to the crate.
const SCHEMAS: &[&str] = &[
    "schemas/guide.schema.json",
    "schemas/author.schema.json",
    "dictionaries/en_US/en_US.aff",
    "dictionaries/en_US/en_US.dic",
    "dictionaries/technical.txt",
];

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    println!("cargo::rerun-if-changed=build.rs");
    let mut files: Vec<String> = SCHEMAS.iter().map(|s| (*s).to_owned()).collect();
    let data = root.join("data");
    // Listing `data/` and each set's folder makes cargo rerun this script
    // when a snapshot is added or removed.
    println!("cargo::rerun-if-changed=data");
    let mut snapshots = Vec::new();
    if data.is_dir() {
        for set in sorted_entries(&data) {
            if !set.is_dir() {
                continue;
            }
            println!("cargo::rerun-if-changed={}", set.display());
            for file in sorted_entries(&set) {
                if file.extension().and_then(|e| e.to_str()) == Some("csv") && file.is_file() {
                    let relative = file.strip_prefix(&root).expect("under the crate");
                    snapshots.push(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    files.extend(snapshots);
    let mut listing = String::from(
        "/// Every embedded file: its path in the repository, its size, its zlib-compressed bytes.\n\
         pub(crate) static FILES: &[(&str, usize, &[u8])] = &[\n",
    );
    for (index, relative) in files.iter().enumerate() {
        let source = root.join(relative);
        println!("cargo::rerun-if-changed={}", source.display());
        let bytes = std::fs::read(&source)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", source.display()));
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&bytes).expect("compressing in memory");
        let compressed = encoder.finish().expect("compressing in memory");
        let name = format!("builtin-{index}.z");
        std::fs::write(out.join(&name), &compressed)
            .unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
        listing.push_str(&format!(
            "    ({relative:?}, {}, include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{name}\"))),\n",
            bytes.len()
        ));
    }
    listing.push_str("];\n");
    std::fs::write(out.join("builtin.rs"), listing).expect("cannot write builtin.rs");
}

/// The entries of `dir`, sorted by name (the listing is the same on every machine).
fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    entries
}
