//! BLS's Employment Projections (EP): how many people an occupation employs
//! now and ten years on, the openings a year, and the education it
//! typically takes to enter it. Kept as snapshots beside the OEWS ones
//! (`data/ep/<release>.csv`, release `2024-34`) and checked against by the
//! outlook rules (`GP611`-`GP614`).
//!
//! - [`release`]: release names (`2024-34`, "2024–34");
//! - [`table`]: the snapshot's CSV layout and one row, [`Projection`];
//! - [`import`]: BLS's `occupation.xlsx` (sheet "Table 1.2") turned into a
//!   snapshot, its layout found by header names;
//! - [`store`]: the releases in the folder, read once, and the sum of a group
//!   of occupations as BLS's Occupational Outlook Handbook adds them up
//!   ([`Outlook`]);
//! - [`show`]: what `guidepress data show` adds about them.

pub mod import;
pub mod release;
pub mod show;
pub mod store;
pub mod table;

pub use release::EpRelease;
pub use store::{Outlook, ProjectionStore, ProjectionsSnapshot};
pub use table::{Projection, Tenths};

/// The folder used when `[data] projections_dir` is not set.
pub const DEFAULT_DIR: &str = "data/ep";
