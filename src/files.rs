//! Reading config files, and writing them back without losing anyone's data.
//!
//! A file is replaced the safe way: the new bytes go to a temporary file in
//! the same folder, which takes the file's owner, then its mode (in that
//! order, so setuid and setgid bits survive), then its extended attributes
//! (POSIX ACLs, the SELinux label), and is flushed to disk; the file is then
//! checked once more against what was read (size, times, inode and content),
//! and the temporary file is renamed over it, so a reader never sees half a
//! file and an edit made meanwhile by someone else is never overwritten. An
//! in-place edit holds an advisory lock (`flock`) on the file from the read
//! to the rename, so two stackhop runs on one file take turns. A signal
//! (SIGINT, SIGTERM, SIGHUP, SIGQUIT) during a write removes the temporary
//! files before the process ends.
//!
//! What this cannot do: SIGKILL leaves a temporary file behind (named
//! `.FILE.*.stackhop-tmp`, mode 0600 or the file's); a hard link to the file
//! keeps the old content, since the name is given a new file (as `sed -i`
//! does); a writer that changes the file in the instant between the last
//! check and the rename, or that ignores `flock`, can still lose its change
//! only in that instant.
//!
//! Devices, FIFOs and standard output are written by plain writing; an
//! in-place edit of anything but a regular file is refused.

use crate::conf::SharedBytes;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The name under which standard input is read or standard output written.
pub const STDIO: &str = "-";

/// A file read in whole, with what is needed to write it back safely.
#[derive(Debug)]
pub struct Source {
    /// The name as given (for messages).
    pub name: String,
    /// The bytes read, shared: a document parsed from them keeps them
    /// without a copy (`Document::parse(source.bytes.clone())`).
    pub bytes: SharedBytes,
    /// `None` for standard input.
    stamp: Option<Stamp>,
    /// The open file whose `flock` an in-place edit holds until it is done.
    _lock: Option<File>,
}

/// What tells us a file changed after it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    changed: (i64, i64),
    #[cfg(unix)]
    id: (u64, u64),
}

impl Stamp {
    fn of(meta: &Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            changed: (meta.ctime(), meta.ctime_nsec()),
            #[cfg(unix)]
            id: (meta.dev(), meta.ino()),
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

/// What a file that is not a regular one is, for messages.
fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

fn not_regular(name: &str, meta: &Metadata) -> FileError {
    FileError::new(
        name,
        format!(
            "is {}, not a regular file: stackhop edits only regular files in place \
             (write the result elsewhere with -o OUT)",
            kind_of(meta)
        ),
    )
}

impl Source {
    /// Reads `name`, or standard input for `-`. Standard input can be read
    /// once per process: a second `-` is refused rather than read as empty.
    pub fn read(name: &str) -> Result<Source, FileError> {
        if name == STDIO {
            return read_stdin();
        }
        let mut file = File::open(name).map_err(|e| FileError::new(name, e))?;
        let meta = file.metadata().map_err(|e| FileError::new(name, e))?;
        if meta.is_dir() {
            return Err(FileError::new(name, "is a directory"));
        }
        let bytes = read_all(&mut file, &meta).map_err(|e| FileError::new(name, e))?;
        Ok(Source {
            name: name.to_string(),
            bytes: bytes.into(),
            stamp: Some(Stamp::of(&meta)),
            _lock: None,
        })
    }

    /// Reads `name` to edit it in place: refuses anything but a regular
    /// file (before opening it, so a FIFO does not hang), and holds an
    /// advisory lock on it (`flock`) until the `Source` is dropped, so
    /// another stackhop editing the same file waits for this one to finish
    /// and then reads what it wrote. `-` reads standard input.
    pub fn read_to_edit(name: &str) -> Result<Source, FileError> {
        if name == STDIO {
            return read_stdin();
        }
        let fail = |e: &dyn std::fmt::Display| FileError::new(name, e);
        // Another stackhop may rename a new file over the name while this
        // one waits for the lock: lock again the file the name then holds.
        for _ in 0..100 {
            let meta = fs::metadata(name).map_err(|e| fail(&e))?;
            if !meta.is_file() {
                return Err(not_regular(name, &meta));
            }
            let mut file = File::open(name).map_err(|e| fail(&e))?;
            let meta = file.metadata().map_err(|e| fail(&e))?;
            if !meta.is_file() {
                return Err(not_regular(name, &meta));
            }
            sys::lock(&file, name);
            let now = fs::metadata(name).map_err(|e| fail(&e))?;
            if Stamp::of(&now).id_differs(&Stamp::of(&meta)) {
                continue;
            }
            let meta = file.metadata().map_err(|e| fail(&e))?;
            let bytes = read_all(&mut file, &meta).map_err(|e| fail(&e))?;
            return Ok(Source {
                name: name.to_string(),
                bytes: bytes.into(),
                stamp: Some(Stamp::of(&meta)),
                _lock: Some(file),
            });
        }
        Err(fail(
            &"is replaced over and over by someone else; nothing read",
        ))
    }

    /// Is this standard input?
    pub fn is_stdin(&self) -> bool {
        self.stamp.is_none()
    }

    /// Replaces the file with `bytes`: atomically, keeping its owner, mode
    /// and extended attributes, following a symlink to the file it names,
    /// and keeping the bytes it had as `FILE.bak` when `backup`. Refuses if
    /// the file changed since it was read, checked right before the rename
    /// (nothing is written then, not even the backup), and refuses anything
    /// but a regular file. Returns the backup's path.
    pub fn replace(&self, bytes: &[u8], backup: bool) -> Result<Option<PathBuf>, FileError> {
        let name = &self.name;
        let Some(stamp) = &self.stamp else {
            return Err(FileError::new(name, "standard input cannot be replaced"));
        };
        let target = fs::canonicalize(name).map_err(|e| FileError::new(name, e))?;
        let meta = fs::metadata(&target).map_err(|e| FileError::new(name, e))?;
        if !meta.is_file() {
            return Err(not_regular(name, &meta));
        }
        let changed = || {
            FileError::new(
                name,
                "changed on disk while stackhop was working; nothing written",
            )
        };
        if Stamp::of(&meta) != *stamp {
            return Err(changed());
        }
        let keep = Keep::of(&target, &meta).map_err(|e| FileError::new(name, e))?;
        let new = Pending::write(&target, |w| w.write_all(bytes), &keep)?;
        let bak_path = backup.then(|| {
            let mut bak = target.clone().into_os_string();
            bak.push(".bak");
            PathBuf::from(bak)
        });
        let bak = match &bak_path {
            Some(path) => Some(Pending::write(path, |w| w.write_all(&self.bytes), &keep)?),
            None => None,
        };
        // As late as can be: is the file still the one that was read?
        if !self.still_on_disk(&target, stamp) {
            return Err(changed());
        }
        if let Some(bak) = bak {
            bak.commit()?;
        }
        new.commit()?;
        Ok(bak_path)
    }

    /// Does `target` still hold what was read: same inode, size and times,
    /// and the same bytes?
    fn still_on_disk(&self, target: &Path, stamp: &Stamp) -> bool {
        let Ok(mut file) = File::open(target) else {
            return false;
        };
        match file.metadata() {
            Ok(meta) if Stamp::of(&meta) == *stamp => {}
            _ => return false,
        }
        let mut chunk = vec![0u8; 1 << 16];
        let mut offset = 0;
        loop {
            match file.read(&mut chunk) {
                Ok(0) => return offset == self.bytes.len(),
                Ok(n) => {
                    if self.bytes.get(offset..offset + n) != Some(&chunk[..n]) {
                        return false;
                    }
                    offset += n;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
    }
}

impl Stamp {
    #[cfg(unix)]
    fn id_differs(&self, other: &Stamp) -> bool {
        self.id != other.id
    }
    #[cfg(not(unix))]
    fn id_differs(&self, _: &Stamp) -> bool {
        false
    }
}

fn read_stdin() -> Result<Source, FileError> {
    static STDIN_TAKEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
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
    Ok(Source {
        name: "<stdin>".to_string(),
        bytes: bytes.into(),
        stamp: None,
        _lock: None,
    })
}

fn read_all(file: &mut File, meta: &Metadata) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Writes `bytes` to `path`. A regular file is replaced atomically and
/// keeps its owner, mode and extended attributes; a new one takes the mode
/// of `like` (the file it was made from, which may hold secrets), or 0600.
/// A device, a FIFO or a socket is written to as it is (`-o /dev/null`
/// leaves `/dev/null` a device), and `/dev/stdout`, `/dev/stderr` and their
/// `/proc/self/fd` names (through any symlink) write to the process's own
/// standard output or error.
pub fn write_file(path: &Path, bytes: &[u8], like: Option<&Path>) -> Result<(), FileError> {
    write_file_with(path, like, |w| w.write_all(bytes))
}

/// As [`write_file`], the bytes written by `write` as they are made (a
/// large output is then never held whole).
pub fn write_file_with(
    path: &Path,
    like: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), FileError> {
    let fail = |e: &dyn std::fmt::Display| FileError::new(path, e);
    let target = resolve(path);
    if let Some(fd) = target.stdio {
        let result = if fd == 2 {
            write(&mut io::stderr().lock())
        } else {
            let mut out = io::stdout().lock();
            write(&mut out).and_then(|()| out.flush())
        };
        return result.map_err(|e| fail(&e));
    }
    let target = target.path;
    match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(fail(&"is a directory")),
        Ok(meta) if !meta.is_file() => OpenOptions::new()
            .write(true)
            .open(&target)
            .and_then(|mut f| write(&mut f).and_then(|()| f.flush()))
            .map_err(|e| fail(&e)),
        Ok(meta) => {
            let keep = Keep::of(&target, &meta).map_err(|e| fail(&e))?;
            Pending::write(&target, write, &keep)?.commit()
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mode = like
                .and_then(|p| fs::metadata(p).ok())
                .map_or(0o600, |m| sys::mode(&m) & 0o777);
            Pending::write(&target, write, &Keep::mode(mode))?.commit()
        }
        Err(e) => Err(fail(&e)),
    }
}

/// Where a name leads: the file at the end of its symlinks (a dangling
/// one's target, to be created), or the process's own standard output
/// (1) or error (2).
struct Resolved {
    path: PathBuf,
    stdio: Option<u8>,
}

fn resolve(path: &Path) -> Resolved {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        let stdio = match current.to_str() {
            Some("/dev/stdout" | "/proc/self/fd/1" | "/dev/fd/1") => Some(1),
            Some("/dev/stderr" | "/proc/self/fd/2" | "/dev/fd/2") => Some(2),
            _ => None,
        };
        if stdio.is_some() {
            return Resolved {
                path: current,
                stdio,
            };
        }
        match fs::read_link(&current) {
            Ok(next) => {
                current = match current.parent() {
                    Some(dir) if next.is_relative() => dir.join(next),
                    _ => next,
                };
            }
            Err(_) => break,
        }
    }
    Resolved {
        path: fs::canonicalize(&current).unwrap_or(current),
        stdio: None,
    }
}

/// What a new file takes from the one it replaces: owner, mode, extended
/// attributes.
struct Keep {
    owner: Option<(u32, u32)>,
    mode: Option<u32>,
    xattrs: Option<Vec<sys::Xattr>>,
}

impl Keep {
    fn of(path: &Path, meta: &Metadata) -> io::Result<Keep> {
        Ok(Keep {
            owner: sys::owner(meta),
            mode: Some(sys::mode(meta)),
            xattrs: Some(sys::xattrs_of(path)?),
        })
    }

    fn mode(mode: u32) -> Keep {
        Keep {
            owner: None,
            mode: Some(mode),
            xattrs: None,
        }
    }

    /// Owner first, then mode (a change of owner clears setuid and setgid
    /// bits), then extended attributes (a change of owner clears file
    /// capabilities; an ACL's mask is the mode's group bits).
    fn apply(&self, file: &File) -> io::Result<()> {
        if let Some(owner) = self.owner {
            sys::keep_owner(file, owner)?;
        }
        if let Some(mode) = self.mode {
            sys::set_mode(file, mode)?;
        }
        if let Some(xattrs) = &self.xattrs {
            sys::set_xattrs(file, xattrs)?;
        }
        Ok(())
    }
}

/// A temporary file next to its target, written and flushed, waiting to be
/// renamed over it. Dropped without [`Pending::commit`], it is removed; a
/// signal removes it too.
struct Pending {
    tmp: Option<tempfile::NamedTempFile>,
    target: PathBuf,
}

impl Pending {
    fn write(
        target: &Path,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
        keep: &Keep,
    ) -> Result<Pending, FileError> {
        let fail = |e: &dyn std::fmt::Display| FileError::new(target, e);
        let dir = parent_dir(target);
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = {
            let mut pending = cleanup::pending();
            let tmp = tempfile::Builder::new()
                .prefix(&format!(".{file_name}."))
                .suffix(".stackhop-tmp")
                .tempfile_in(dir)
                .map_err(|e| {
                    // tempfile's message names the random name; say what failed.
                    let cause = e.to_string();
                    let cause = cause.split(" at path ").next().unwrap_or_default();
                    fail(&format!(
                        "cannot write a temporary file in {} ({}); nothing written",
                        dir.display(),
                        lowercase_first(cause)
                    ))
                })?;
            pending.push(tmp.path().to_path_buf());
            tmp
        };
        let pending = Pending {
            tmp: Some(tmp),
            target: target.to_path_buf(),
        };
        let file = pending.tmp.as_ref().map(|t| t.as_file());
        if let Some(mut file) = file {
            write(&mut file).map_err(|e| fail(&e))?;
            keep.apply(file).map_err(|e| {
                fail(&format!(
                    "{}; nothing written",
                    lowercase_first(&e.to_string())
                ))
            })?;
            file.sync_all().map_err(|e| fail(&e))?;
        }
        Ok(pending)
    }

    /// Renames the temporary file over the target, and makes the rename
    /// itself durable.
    fn commit(mut self) -> Result<(), FileError> {
        let Some(tmp) = self.tmp.take() else {
            return Ok(());
        };
        let mut pending = cleanup::pending();
        let path = tmp.path().to_path_buf();
        let result = tmp.persist(&self.target);
        pending.retain(|p| *p != path);
        drop(pending);
        result.map_err(|e| FileError::new(&self.target, e.error))?;
        sync_dir(parent_dir(&self.target));
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            let mut pending = cleanup::pending();
            pending.retain(|p| p != tmp.path());
            drop(tmp);
        }
    }
}

fn parent_dir(target: &Path) -> &Path {
    match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Makes a rename durable. Best effort: not every file system lets a
/// directory be opened for this.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Temporary files being written, removed when a signal ends the process.
mod cleanup {
    use std::path::PathBuf;
    use std::sync::{Mutex, MutexGuard, Once};

    static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    /// The list of temporary files, locked: create a temporary file and
    /// list it under one lock, so a signal never falls in between.
    pub fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
        install();
        PENDING.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(unix)]
    fn install() {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            // Without a handler, a signal ends the process as before; only
            // the temporary files would stay.
            let Ok(mut signals) =
                signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])
            else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
                    for path in pending.iter() {
                        let _ = std::fs::remove_file(path);
                    }
                    // End as the signal would have: the parent sees it.
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    std::process::exit(128 + signal);
                }
            });
        });
    }

    #[cfg(not(unix))]
    fn install() {}
}

#[cfg(unix)]
mod sys {
    use std::fs::{File, Metadata};
    use std::io;
    use std::os::unix::fs::MetadataExt;
    use std::path::Path;

    pub type Xattr = (Vec<u8>, Vec<u8>);

    pub fn owner(meta: &Metadata) -> Option<(u32, u32)> {
        Some((meta.uid(), meta.gid()))
    }

    /// Permission bits with setuid, setgid and sticky.
    pub fn mode(meta: &Metadata) -> u32 {
        meta.mode() & 0o7777
    }

    pub fn keep_owner(file: &File, (uid, gid): (u32, u32)) -> io::Result<()> {
        let meta = file.metadata()?;
        if meta.uid() == uid && meta.gid() == gid {
            return Ok(());
        }
        std::os::unix::fs::fchown(file, Some(uid), Some(gid)).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot keep its owner {uid}:{gid} ({e})"))
        })
    }

    pub fn set_mode(file: &File, mode: u32) -> io::Result<()> {
        rustix::fs::fchmod(file, rustix::fs::Mode::from_raw_mode(mode))
            .map_err(|e| io::Error::other(format!("cannot keep its mode {mode:o} ({e})")))
    }

    /// An advisory lock on the whole file, waited for when another process
    /// holds it. A file system without locks goes unlocked: the check
    /// before the rename still guards the file.
    pub fn lock(file: &File, name: &str) {
        use rustix::fs::{FlockOperation, flock};
        match flock(file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => {
                eprintln!("stackhop: note: {name}: another process is editing it; waiting");
                let _ = flock(file, FlockOperation::LockExclusive);
            }
            Err(_) => {}
        }
    }

    /// Every extended attribute of the file (ACLs, SELinux label, user
    /// attributes), as names and values. None on a file system without them.
    pub fn xattrs_of(path: &Path) -> io::Result<Vec<Xattr>> {
        let file = File::open(path)?;
        let names = match list(&file) {
            Ok(names) => names,
            Err(e) if unsupported(&e) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut out = Vec::new();
        for name in names {
            match get(&file, &name) {
                Ok(value) => out.push((name, value)),
                // Removed meanwhile.
                Err(e) if e.raw_os_error() == Some(rustix::io::Errno::NODATA.raw_os_error()) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    fn unsupported(e: &io::Error) -> bool {
        e.raw_os_error() == Some(rustix::io::Errno::NOTSUP.raw_os_error())
    }

    fn list(file: &File) -> io::Result<Vec<Vec<u8>>> {
        loop {
            let size = rustix::fs::flistxattr_query(file)?;
            if size == 0 {
                return Ok(Vec::new());
            }
            let mut buf = vec![0u8; size];
            match rustix::fs::flistxattr(file, &mut buf[..]) {
                Ok(n) => {
                    buf.truncate(n);
                    return Ok(buf
                        .split(|&b| b == 0)
                        .filter(|n| !n.is_empty())
                        .map(<[u8]>::to_vec)
                        .collect());
                }
                // Grew meanwhile.
                Err(rustix::io::Errno::RANGE) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn get(file: &File, name: &[u8]) -> io::Result<Vec<u8>> {
        let name = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name);
        loop {
            let size = rustix::fs::fgetxattr_query(file, name)?;
            let mut buf = vec![0u8; size];
            if size == 0 {
                return Ok(buf);
            }
            match rustix::fs::fgetxattr(file, name, &mut buf[..]) {
                Ok(n) => {
                    buf.truncate(n);
                    return Ok(buf);
                }
                Err(rustix::io::Errno::RANGE) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Gives `file` exactly these extended attributes: those it got from
    /// its folder (a default ACL) and the old file lacks go.
    pub fn set_xattrs(file: &File, xattrs: &[Xattr]) -> io::Result<()> {
        let name_of = |n: &[u8]| String::from_utf8_lossy(n).into_owned();
        if let Ok(own) = list(file) {
            for name in own.iter().filter(|n| !xattrs.iter().any(|(k, _)| k == *n)) {
                let os = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name);
                rustix::fs::fremovexattr(file, os).map_err(|e| {
                    io::Error::other(format!(
                        "cannot drop the extended attribute {} it got from its folder ({e})",
                        name_of(name)
                    ))
                })?;
            }
        }
        for (name, value) in xattrs {
            let os = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name);
            rustix::fs::fsetxattr(file, os, value, rustix::fs::XattrFlags::empty()).map_err(
                |e| {
                    io::Error::other(format!(
                        "cannot keep its extended attribute {} ({e})",
                        name_of(name)
                    ))
                },
            )?;
        }
        Ok(())
    }
}

#[cfg(not(unix))]
mod sys {
    use std::fs::{File, Metadata};
    use std::io;
    use std::path::Path;

    pub type Xattr = ();

    pub fn owner(_: &Metadata) -> Option<(u32, u32)> {
        None
    }
    pub fn mode(_: &Metadata) -> u32 {
        0o600
    }
    pub fn keep_owner(_: &File, _: (u32, u32)) -> io::Result<()> {
        Ok(())
    }
    pub fn set_mode(_: &File, _: u32) -> io::Result<()> {
        Ok(())
    }
    pub fn lock(_: &File, _: &str) {}
    pub fn xattrs_of(_: &Path) -> io::Result<Vec<Xattr>> {
        Ok(Vec::new())
    }
    pub fn set_xattrs(_: &File, _: &[Xattr]) -> io::Result<()> {
        Ok(())
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
        let err = src.replace(b"b\n", true).unwrap_err();
        assert!(err.message.contains("changed on disk"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"someone else's edit\n");
        // Neither a backup nor a temporary file.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_new_output_file_takes_the_mode_of_its_source_or_0600() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("nova.conf");
        fs::write(&src, "x\n").unwrap();
        fs::set_permissions(&src, fs::Permissions::from_mode(0o640)).unwrap();
        let out = dir.path().join("out.conf");
        write_file(&out, b"y\n", Some(&src)).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode(&out), 0o640);
        write_file(&dir.path().join("plain"), b"z\n", None).unwrap();
        assert_eq!(mode(&dir.path().join("plain")), 0o600);
    }
}
