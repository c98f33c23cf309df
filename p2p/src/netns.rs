//! Linux network namespaces, entered one thread at a time: a socket made by a thread
//! inside a namespace stays there after the thread leaves or ends.

use std::os::fd::AsRawFd as _;
use std::path::Path;

/// Moves the calling thread (only it) into the network namespace at `path`
/// (`/var/run/netns/<name>`, `/proc/<pid>/ns/net`).
pub fn enter(path: &Path) -> std::io::Result<()> {
    let file = std::fs::File::open(path)?;
    // SAFETY: setns with a valid namespace descriptor changes only this thread's network
    // namespace.
    if unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Runs `f` on a fresh thread inside the network namespace at `path` and returns its
/// output. The thread ends with `f`, so no thread that runs anything else (a pool's,
/// the caller's) is ever left inside.
pub fn run_in<T: Send>(path: &Path, f: impl FnOnce() -> T + Send) -> std::io::Result<T> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| enter(path).map(|()| f()))
            .join()
            .map_err(|_| std::io::Error::other("the namespace thread panicked"))?
    })
}
