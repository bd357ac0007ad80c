import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension OutputDirectory {
    /// Puts the complete staging folder in the target's place in one step.
    ///
    /// With an existing target, Linux's `renameat2(RENAME_EXCHANGE)` swaps the two names
    /// atomically (a reader sees the old folder or the new one, never a mix), and the old contents,
    /// now under the staging name, are removed. Where the kernel or file system lacks it, the
    /// target first moves aside to a fixed name, the staging folder moves in, and the old one is
    /// removed; a kill in between leaves the previous folder under that name, which the next
    /// write restores or removes.
    func swapIn(_ staging: URL) throws(Failure) {
        Self.syncFolder(staging.path)
        var info = stat()
        if lstat(url.path, &info) != 0 {
            guard rename(staging.path, url.path) == 0 else {
                throw Failure(description: "\(name): moving the new files into place failed (\(Self.errnoText()))")
            }
            Self.syncFolder(parent.path)
            return
        }
        if let exchange = Self.renameExchange {
            if exchange(AT_FDCWD, staging.path, AT_FDCWD, url.path, Self.renameExchangeFlag) == 0 {
                Self.syncFolder(parent.path)
                Self.removeTree(staging.path)
                return
            }
            guard errno == EINVAL || errno == ENOSYS || errno == ENOTSUP else {
                throw Failure(description: "\(name): swapping in the new files failed (\(Self.errnoText()))")
            }
        }
        let previous = parent.appendingPathComponent(Self.previousPrefix + baseName)
        guard rename(url.path, previous.path) == 0 else {
            throw Failure(description: "\(name): moving the previous files aside failed (\(Self.errnoText()))")
        }
        guard rename(staging.path, url.path) == 0 else {
            let failure = Failure(description: "\(name): moving the new files into place failed (\(Self.errnoText()))")
            _ = rename(previous.path, url.path)
            throw failure
        }
        Self.syncFolder(parent.path)
        Self.removeTree(previous.path)
    }

    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2`, looked up at run time: Swift's Glibc module hides it behind _GNU_SOURCE,
    /// and an older C library may not have it at all.
    static let renameExchange: RenameAt2? = {
        guard let symbol = dlsym(nil, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()
    static let renameExchangeFlag: UInt32 = 2   // RENAME_EXCHANGE in <linux/fs.h>

    /// Flushes a folder's entries, so a rename survives a power cut as well as a kill.
    static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

extension OutputDirectory {
    /// An exclusive `flock` on a file beside the target, held while a process writes the target.
    struct Lock {
        let fd: Int32

        init(url: URL, owner: String, timeout: Double) throws(Failure) {
            fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw Failure(description: "\(owner): cannot create the lock file \(url.path) (\(OutputDirectory.errnoText()))")
            }
            let start = Date()
            while flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                guard code == EWOULDBLOCK || code == EINTR else {
                    close(fd)
                    throw Failure(description: "\(owner): cannot lock \(url.path) (\(String(cString: strerror(code))))")
                }
                if Date().timeIntervalSince(start) >= timeout {
                    close(fd)
                    throw Failure(description: "\(owner): another restake-risk process is writing this folder (it holds \(url.lastPathComponent)); waited \(Int(timeout)) s, try again when it has finished")
                }
                usleep(50_000)
            }
        }

        func release() {
            _ = flock(fd, LOCK_UN)
            close(fd)
        }
    }
}
