//! Reading config files, and writing them back the safe way: a temporary file
//! in the same folder, flushed to disk, then renamed over the original, so a
//! reader never sees half a file; mode and ownership kept; a backup kept.

use std::fs::{self, File, Metadata};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The name under which standard input is read or standard output written.
pub const STDIO: &str = "-";

/// A file read in whole, with what is needed to write it back safely.
#[derive(Debug)]
pub struct Source {
    /// The name as given (for messages).
    pub name: String,
    pub bytes: Vec<u8>,
    /// `None` for standard input.
    stamp: Option<Stamp>,
}

/// What tells us a file changed after it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    ino: u64,
}

impl Stamp {
    fn of(meta: &Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            ino: std::os::unix::fs::MetadataExt::ino(meta),
        }
    }
}

/// An I/O failure, with the file it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct FileError {
    pub path: String,
    pub message: String,
}

impl FileError {
    fn new(path: impl AsRef<Path>, err: impl std::fmt::Display) -> FileError {
        FileError {
            path: path.as_ref().display().to_string(),
            message: lowercase_first(&err.to_string()),
        }
    }
}

/// `No such file or directory (os error 2)` → `no such file or directory (os error 2)`.
fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !s.starts_with("I/O") => c.to_lowercase().chain(chars).collect(),
        _ => s.to_string(),
    }
}

impl Source {
    /// Reads `name`, or standard input for `-`. Standard input can be read
    /// once per process: a second `-` is refused rather than read as empty.
    pub fn read(name: &str) -> Result<Source, FileError> {
        if name == STDIO {
            static STDIN_TAKEN: std::sync::atomic::AtomicBool =
                std::sync::atomic::AtomicBool::new(false);
            if STDIN_TAKEN.swap(true, std::sync::atomic::Ordering::SeqCst) {
                return Err(FileError::new(
                    "<stdin>",
                    "standard input ('-') is given more than once; it can be read only once",
                ));
            }
            let mut bytes = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| FileError::new("<stdin>", e))?;
            return Ok(Source {
                name: "<stdin>".to_string(),
                bytes,
                stamp: None,
            });
        }
        let mut file = File::open(name).map_err(|e| FileError::new(name, e))?;
        let meta = file.metadata().map_err(|e| FileError::new(name, e))?;
        if meta.is_dir() {
            return Err(FileError::new(name, "is a directory"));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.read_to_end(&mut bytes)
            .map_err(|e| FileError::new(name, e))?;
        Ok(Source {
            name: name.to_string(),
            bytes,
            stamp: Some(Stamp::of(&meta)),
        })
    }

    /// Is this standard input?
    pub fn is_stdin(&self) -> bool {
        self.stamp.is_none()
    }

    /// Replaces the file with `bytes`: atomically, keeping its mode and
    /// ownership, following a symlink to the file it names, and keeping the
    /// bytes it had as `FILE.bak` when `backup`. Refuses if the file changed
    /// since it was read. Returns the backup's path.
    pub fn replace(&self, bytes: &[u8], backup: bool) -> Result<Option<PathBuf>, FileError> {
        let name = &self.name;
        let target = fs::canonicalize(name).map_err(|e| FileError::new(name, e))?;
        let meta = fs::metadata(&target).map_err(|e| FileError::new(name, e))?;
        if self.stamp.as_ref() != Some(&Stamp::of(&meta)) {
            return Err(FileError::new(
                name,
                "changed on disk while stackhop was working; nothing written",
            ));
        }
        let backup_path = if backup {
            let mut bak = target.clone().into_os_string();
            bak.push(".bak");
            let bak = PathBuf::from(bak);
            write_atomic(&bak, &self.bytes, Some(&meta as &dyn Keep))?;
            Some(bak)
        } else {
            None
        };
        write_atomic(&target, bytes, Some(&meta as &dyn Keep))?;
        Ok(backup_path)
    }
}

/// Writes `bytes` to `path` atomically. An existing file keeps its mode and
/// ownership; a new one takes the mode of `like` (the file it was made from,
/// which may hold secrets), or the usual default.
pub fn write_file(path: &Path, bytes: &[u8], like: Option<&Path>) -> Result<(), FileError> {
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    match fs::metadata(&target) {
        Ok(meta) => write_atomic(&target, bytes, Some(&meta as &dyn Keep)),
        Err(_) => match like.and_then(|p| fs::metadata(p).ok()) {
            Some(meta) => write_atomic(&target, bytes, Some(&ModeOnly(&meta) as &dyn Keep)),
            None => write_atomic(&target, bytes, None),
        },
    }
}

/// Which attributes of an existing file a new one takes.
trait Keep {
    fn permissions(&self) -> fs::Permissions;
    /// Owner and group to keep, if any.
    fn owner(&self) -> Option<(u32, u32)>;
}

impl Keep for Metadata {
    fn permissions(&self) -> fs::Permissions {
        Metadata::permissions(self)
    }
    #[cfg(unix)]
    fn owner(&self) -> Option<(u32, u32)> {
        use std::os::unix::fs::MetadataExt;
        Some((self.uid(), self.gid()))
    }
    #[cfg(not(unix))]
    fn owner(&self) -> Option<(u32, u32)> {
        None
    }
}

/// Take the mode of a file, not its owner.
struct ModeOnly<'a>(&'a Metadata);

impl Keep for ModeOnly<'_> {
    fn permissions(&self) -> fs::Permissions {
        self.0.permissions()
    }
    fn owner(&self) -> Option<(u32, u32)> {
        None
    }
}

fn write_atomic(target: &Path, bytes: &[u8], keep: Option<&dyn Keep>) -> Result<(), FileError> {
    let fail = |e: &dyn std::fmt::Display| FileError::new(target, e);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".stackhop-tmp")
        .tempfile_in(dir)
        .map_err(|e| fail(&e))?;
    tmp.write_all(bytes).map_err(|e| fail(&e))?;
    if let Some(keep) = keep {
        tmp.as_file()
            .set_permissions(keep.permissions())
            .map_err(|e| fail(&e))?;
        if let Some(owner) = keep.owner() {
            keep_owner(tmp.as_file(), owner).map_err(|e| fail(&e))?;
        }
    } else {
        // tempfile creates files readable by their owner only; a plain new
        // file gets the process's usual mode instead.
        set_default_mode(tmp.as_file()).map_err(|e| fail(&e))?;
    }
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    tmp.persist(target).map_err(|e| fail(&e.error))?;
    sync_dir(dir);
    Ok(())
}

#[cfg(unix)]
fn keep_owner(file: &File, (uid, gid): (u32, u32)) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let meta = file.metadata()?;
    if meta.uid() == uid && meta.gid() == gid {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(uid), Some(gid)).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot keep its owner {uid}:{gid} ({e}); nothing written"),
        )
    })
}

#[cfg(not(unix))]
fn keep_owner(_: &File, _: (u32, u32)) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn set_default_mode(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // 0666 less a typical umask; the umask itself cannot be read without
    // changing it, so use the common 022.
    file.set_permissions(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_default_mode(_: &File) -> io::Result<()> {
    Ok(())
}

/// Makes the rename itself durable. Best effort: not every file system
/// lets a directory be opened for this.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn replace_keeps_mode_and_a_backup_and_follows_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.conf");
        fs::write(&real, "old\n").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("nova.conf");
        std::os::unix::fs::symlink(&real, &link).unwrap();

        let src = Source::read(link.to_str().unwrap()).unwrap();
        let bak = src.replace(b"new\n", true).unwrap().unwrap();
        assert_eq!(fs::read(&real).unwrap(), b"new\n");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&bak).unwrap(), b"old\n");
        assert_eq!(
            bak,
            fs::canonicalize(&real).unwrap().with_extension("conf.bak")
        );
        for p in [&real, &bak] {
            assert_eq!(fs::metadata(p).unwrap().permissions().mode() & 0o777, 0o640);
        }
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 3);
    }

    #[test]
    fn replace_refuses_a_file_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nova.conf");
        fs::write(&path, "a\n").unwrap();
        let src = Source::read(path.to_str().unwrap()).unwrap();
        fs::write(&path, "someone else's edit\n").unwrap();
        let err = src.replace(b"b\n", false).unwrap_err();
        assert!(err.message.contains("changed on disk"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"someone else's edit\n");
    }

    #[test]
    fn a_new_output_file_takes_the_mode_of_its_source() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("nova.conf");
        fs::write(&src, "x\n").unwrap();
        fs::set_permissions(&src, fs::Permissions::from_mode(0o600)).unwrap();
        let out = dir.path().join("out.conf");
        write_file(&out, b"y\n", Some(&src)).unwrap();
        assert_eq!(
            fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
        write_file(&dir.path().join("plain"), b"z\n", None).unwrap();
        assert_eq!(
            fs::metadata(dir.path().join("plain"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o644
        );
    }
}
