package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.Uaccess;

import java.util.ArrayList;
import java.util.List;

import static dev.kava.abi.Mount.*;
import static dev.kava.abi.Stat.S_IFDIR;
import static dev.kava.abi.Stat.S_IFLNK;
import static dev.kava.abi.Stat.S_IFREG;

/**
 * The mount syscalls of fs/namespace.c: mount(2) (new mounts of a registered filesystem type,
 * MS_BIND with MS_REC, MS_REMOUNT with and without MS_BIND, MS_MOVE, the propagation types),
 * umount2 (MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW) and pivot_root.
 *
 * <p>kava has one mount namespace (nsproxy->mnt_ns is the kernel's; clone(CLONE_NEWNS) is not
 * implemented) and no peer groups: MS_SHARED, MS_SLAVE and MS_UNBINDABLE are accepted and
 * recorded, a shared or slave mount behaves as a private one (mount events do not
 * propagate), and the recorded type is honoured where Linux checks it (pivot_root and
 * MS_MOVE refuse shared parents; unbindable mounts cannot be bound and are skipped by
 * MS_REC binds). Every mount operation needs CAP_SYS_ADMIN, which only root has.
 */
public final class NamespaceSyscalls {
    private NamespaceSyscalls() {}

    /** MNT_ATIME_MASK (include/linux/mount.h), in MS_* bits. */
    private static final int ATIME_MASK = MS_NOATIME | MS_NODIRATIME | MS_RELATIME;
    /** The SB_* flags path_mount passes to the filesystem. */
    private static final int SB_FLAGS = MS_RDONLY | MS_SYNCHRONOUS | MS_MANDLOCK | MS_DIRSYNC
            | MS_SILENT | MS_POSIXACL | MS_LAZYTIME | MS_I_VERSION;
    private static final int PROPAGATION = MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;
    private static final int PAGE_SIZE = 4096;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.MOUNT, (task, a) -> mount(task, a[0], a[1], a[2], a[3], a[4]));
        t.register(SyscallNr.UMOUNT2, (task, a) -> umount2(task, a[0], (int) a[1]));
        t.register(SyscallNr.PIVOT_ROOT, (task, a) -> pivotRoot(task, a[0], a[1]));
    }

    /** may_mount: CAP_SYS_ADMIN (root has every capability). */
    private static boolean mayMount(Cred c) {
        return c.euid() == 0;
    }

    /** current->nsproxy->mnt_ns: kava's one namespace. */
    private static MountNamespace currentNs(Task t) {
        return t.kernel.mountNamespace();
    }

    /** check_mnt: m is attached in the caller's namespace. */
    private static boolean checkMnt(Task t, Mount m) {
        return m.namespace() == currentNs(t);
    }

    /** path_mounted: p is the root of its mount. */
    private static boolean pathMounted(FsPath p) {
        return p.dentry() == p.mnt().root;
    }

    /** lock_mount: the topmost mount at p; a mountpoint that was removed takes no mount (ENOENT). */
    private static FsPath lockMount(FsPath p) {
        if (p.dentry().unhashed() && !p.dentry().isRoot()) throw ErrnoException.of(Errno.ENOENT);
        return MountNamespace.followDown(p);
    }

    // ---- mount(2)

    /** copy_mount_string: strndup_user(PATH_MAX); NULL stays null, too long is EINVAL. */
    private static String copyMountString(Task t, long addr) {
        if (addr == 0) return null;
        String s = t.mem.readCString(addr, Uaccess.PATH_MAX);
        if (s == null) throw ErrnoException.of(Errno.EINVAL);
        return s;
    }

    /**
     * copy_mount_options: up to a page from data, as much as can be read (EFAULT only when not
     * even the first byte can); the filesystems parse it as a string, up to its NUL.
     */
    private static String copyMountOptions(Task t, long addr) {
        if (addr == 0) return null;
        byte[] page = new byte[PAGE_SIZE];
        int n = 0;
        while (n < PAGE_SIZE) {
            int chunk = (int) Math.min(PAGE_SIZE - n, PAGE_SIZE - ((addr + n) & (PAGE_SIZE - 1)));
            try {
                t.mem.read(addr + n, page, n, chunk);
            } catch (ErrnoException e) {
                // Byte at a time up to the fault, as exact_copy_from_user does.
                while (n < PAGE_SIZE) {
                    try {
                        t.mem.read(addr + n, page, n, 1);
                    } catch (ErrnoException e2) {
                        break;
                    }
                    n++;
                }
                break;
            }
            n += chunk;
        }
        if (n == 0) throw ErrnoException.of(Errno.EFAULT);
        page[PAGE_SIZE - 1] = 0;
        int len = 0;
        while (len < n && page[len] != 0) len++;
        return new String(page, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** mount(dev_name, dir_name, type, flags, data). */
    static long mount(Task t, long devAddr, long dirAddr, long typeAddr, long flags, long dataAddr) {
        String type = copyMountString(t, typeAddr);
        String dev = copyMountString(t, devAddr);
        String data = copyMountOptions(t, dataAddr);
        // do_mount: user_path_at(AT_FDCWD, dir_name, LOOKUP_FOLLOW)
        FsPath path = Namei.lookup(t, Fcntl.AT_FDCWD, t.mem.readPath(dirAddr, false), true);
        return pathMount(t, dev, path, type, flags, data);
    }

    /** path_mount: the flags sorted into per-mount and superblock ones, then one of the kinds of mount. */
    static long pathMount(Task t, String dev, FsPath path, String type, long flags, String data) {
        if ((flags & 0xffff0000L) == (MS_MGC_VAL & 0xffffffffL)) flags &= ~0xffff0000L; // the old magic
        // MS_NOUSER is (1<<31), an int: widened to unsigned long it covers every bit above 30.
        if ((flags & (long) MS_NOUSER) != 0) return -Errno.EINVAL;
        if (!mayMount(t.group.cred)) return -Errno.EPERM;
        int f = (int) flags;
        int mnt = 0;
        if ((f & MS_NOATIME) == 0) mnt |= MS_RELATIME; // relatime unless overridden
        mnt |= f & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME);
        if ((f & MS_STRICTATIME) != 0) mnt &= ~(MS_RELATIME | MS_NOATIME);
        mnt |= f & (MS_RDONLY | MS_NOSYMFOLLOW);
        // A remount keeps the atime behaviour unless it names one.
        if ((f & MS_REMOUNT) != 0
                && (f & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME)) == 0) {
            mnt = (mnt & ~ATIME_MASK) | (path.mnt().flags() & ATIME_MASK);
        }
        int sbFlags = f & SB_FLAGS;
        if ((f & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND)) return reconfigureMnt(t, path, mnt);
        if ((f & MS_REMOUNT) != 0) return remount(t, path, sbFlags, mnt, data);
        if ((f & MS_BIND) != 0) return loopback(t, path, dev, (f & MS_REC) != 0);
        if ((f & PROPAGATION) != 0) return changeType(t, path, f);
        if ((f & MS_MOVE) != 0) return moveMountOld(t, path, dev);
        return newMount(t, path, type, sbFlags, mnt, dev, data);
    }

    /** do_reconfigure_mnt (MS_REMOUNT | MS_BIND): only the mount's own flags change. */
    private static long reconfigureMnt(Task t, FsPath path, int mnt) {
        Mount m = path.mnt();
        if (!checkMnt(t, m)) return -Errno.EINVAL;
        if (!pathMounted(path)) return -Errno.EINVAL;
        // change_mount_ro_state: mnt_make_readonly fails while files are open for writing through the mount.
        if ((mnt & MS_RDONLY) != 0 && !m.readOnly() && anyOpenFile(t, f -> f.path().mnt() == m && writer(f))) {
            return -Errno.EBUSY;
        }
        m.flags = mnt & MNT_FLAGS_MASK;
        return 0;
    }

    /** FMODE_WRITER: open for writing, and not a device, fifo or socket (which do not write to the filesystem). */
    private static boolean writer(File f) {
        if (!f.writable()) return false;
        int type = f.inode().type();
        return type == S_IFREG || type == S_IFDIR || type == S_IFLNK;
    }

    /**
     * sb_prepare_remount_readonly: a filesystem cannot become read-only while one of its files
     * is open for writing or unlinked but still open (its removal is still to be written).
     */
    private static void prepareRemountReadonly(Task t, SuperBlock sb) {
        if (sb.readOnly()) return;
        if (anyOpenFile(t, f -> f.inode().sb == sb && (writer(f) || f.inode().nlink() == 0))) {
            throw ErrnoException.of(Errno.EBUSY);
        }
    }

    /**
     * Whether some process has a descriptor open on a file of the mount tree that matches (the
     * writer counts Linux keeps per mount; a file kept only by a memory mapping is not seen).
     */
    private static boolean anyOpenFile(Task t, java.util.function.Predicate<File> match) {
        java.util.Set<FdTable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (TaskGroup g : t.kernel.allGroups()) {
            FdTable files = g.files;
            if (files == null || !seen.add(files)) continue;
            for (int fd = 0, n = files.maxFds(); fd < n; fd++) {
                File f = files.get(fd);
                if (f != null && f.path() != null && f.inode() != null && match.test(f)) return true;
            }
        }
        return false;
    }

    /** do_remount: the superblock is reconfigured (read-only or not, the filesystem's options), then the mount's flags set. */
    private static long remount(Task t, FsPath path, int sbFlags, int mnt, String data) {
        Mount m = path.mnt();
        if (!checkMnt(t, m)) return -Errno.EINVAL;
        if (!pathMounted(path)) return -Errno.EINVAL;
        int[] sb = {sbFlags};
        List<FileSystems.Param> params = FileSystems.parse(data, sb);
        if ((sb[0] & MS_RDONLY) != 0) prepareRemountReadonly(t, m.sb);
        m.sb.reconfigure((sb[0] & MS_RDONLY) != 0, params);
        m.flags = mnt & MNT_FLAGS_MASK;
        return 0;
    }

    /** do_loopback (MS_BIND): the tree at dev's path, or with MS_REC everything below it too, appears at path. */
    private static long loopback(Task t, FsPath path, String oldName, boolean recurse) {
        if (oldName == null || oldName.isEmpty()) return -Errno.EINVAL;
        FsPath old = Namei.lookup(t, Fcntl.AT_FDCWD, oldName, true);
        FsPath where = lockMount(path);
        if (!checkMnt(t, where.mnt())) return -Errno.EINVAL;
        // __do_loopback
        if (old.mnt().propagation == MS_UNBINDABLE) return -Errno.EINVAL;
        if (!checkMnt(t, old.mnt())) return -Errno.EINVAL; // may_copy_tree
        // graft_tree
        if (old.mnt().sb instanceof dev.kava.fs.nullfs.NullFs) return -Errno.EINVAL; // SB_NOUSER
        if (where.inode().isDir() != old.inode().isDir()) return -Errno.ENOTDIR;
        currentNs(t).bind(old.mnt(), old.dentry(), recurse, where);
        return 0;
    }

    /** do_change_type: one propagation type, on the mount or (MS_REC) its whole tree. */
    private static long changeType(Task t, FsPath path, int flags) {
        if (!pathMounted(path)) return -Errno.EINVAL;
        int type = flags & ~(MS_REC | MS_SILENT);
        if ((type & ~PROPAGATION) != 0 || Integer.bitCount(type) != 1) return -Errno.EINVAL;
        if (!checkMnt(t, path.mnt())) return -Errno.EINVAL;
        List<Mount> mounts = (flags & MS_REC) != 0 ? MountNamespace.subtree(path.mnt()) : List.of(path.mnt());
        for (Mount m : mounts) m.propagation = changeMntPropagation(m.propagation, type);
        return 0;
    }

    /**
     * change_mnt_propagation, on the recorded type: MS_SHARED, MS_PRIVATE and MS_UNBINDABLE
     * replace it; MS_SLAVE keeps an unbindable mount unbindable and a private one private (it
     * has no master), and makes a shared one a slave (kava keeps no peer groups to tell
     * whether Linux would find it a master).
     */
    static int changeMntPropagation(int current, int type) {
        if (type != MS_SLAVE) return type;
        return current == MS_SHARED ? MS_SLAVE : current;
    }

    /** do_move_mount_old (MS_MOVE): the mount at dev's path, with what is below it, moves to path. */
    private static long moveMountOld(Task t, FsPath path, String oldName) {
        if (oldName == null || oldName.isEmpty()) return -Errno.EINVAL;
        FsPath old = Namei.lookup(t, Fcntl.AT_FDCWD, oldName, true);
        FsPath where = lockMount(path);
        Mount o = old.mnt(), p = where.mnt();
        if (o.namespace() == null) return -Errno.EINVAL; // the thing moved must be mounted
        if (!checkMnt(t, o) || !o.attached()) return -Errno.EINVAL; // ... and detachable from its parent
        if (o.parent().propagation == MS_SHARED) return -Errno.EINVAL; // ... which is not shared
        if (!checkMnt(t, p)) return -Errno.EINVAL;
        if (!pathMounted(old)) return -Errno.EINVAL;
        if (where.inode().isDir() != old.inode().isDir()) return -Errno.EINVAL;
        if (p.propagation == MS_SHARED) {
            for (Mount m : MountNamespace.subtree(o)) if (m.propagation == MS_UNBINDABLE) return -Errno.EINVAL;
        }
        for (Mount q = p; q.attached(); q = q.parent()) if (q == o) return -Errno.ELOOP;
        currentNs(t).move(o, where);
        return 0;
    }

    /** do_new_mount: a new superblock of the named type (ENODEV for an unknown one), mounted at path. */
    private static long newMount(Task t, FsPath path, String type, int sbFlags, int mnt, String dev, String data) {
        if (type == null) return -Errno.EINVAL;
        FileSystems.Type fst = FileSystems.get(type);
        if (fst == null) return -Errno.ENODEV;
        int[] sb = {sbFlags};
        List<FileSystems.Param> params = new ArrayList<>();
        String source = dev;
        for (FileSystems.Param p : FileSystems.parse(data, sb)) {
            if (p.key().equals("source")) {
                // vfs_parse_fs_param: a source given twice, or as a flag, is EINVAL.
                if (p.value() == null || source != null) return -Errno.EINVAL;
                source = p.value();
            } else {
                params.add(p);
            }
        }
        SuperBlock s = fst.factory().create(t.kernel, source, sb[0], params);
        if ((sb[0] & MS_RDONLY) != 0) s.reconfigure(true, List.of());
        // do_add_mount
        FsPath where = lockMount(path);
        if (!checkMnt(t, where.mnt())) return -Errno.EINVAL;
        if (where.mnt().sb == s && pathMounted(where)) return -Errno.EBUSY;
        if (s.root().inode().isSymlink()) return -Errno.EINVAL;
        if (where.inode().isDir() != s.root().inode().isDir()) return -Errno.ENOTDIR; // graft_tree
        currentNs(t).attach(MountNamespace.newMount(s, s.root(), mnt), where);
        return 0;
    }

    // ---- umount2

    /** umount2(name, flags): ksys_umount, can_umount and do_umount. */
    static long umount2(Task t, long nameAddr, int flags) {
        if ((flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) != 0) {
            return -Errno.EINVAL;
        }
        String name = t.mem.readPath(nameAddr, false);
        // LOOKUP_MOUNTPOINT: the walk ends on the topmost mount, even at "." or "/".
        FsPath p = MountNamespace.followDown(Namei.lookup(t, Fcntl.AT_FDCWD, name, (flags & UMOUNT_NOFOLLOW) == 0));
        Mount m = p.mnt();
        // can_umount
        if (!mayMount(t.group.cred)) return -Errno.EPERM;
        if (!pathMounted(p)) return -Errno.EINVAL;
        if (!checkMnt(t, m)) return -Errno.EINVAL;
        return doUmount(t, m, flags);
    }

    private static long doUmount(Task t, Mount m, int flags) {
        Mount rootMnt = t.group.fs.root().mnt();
        if ((flags & MNT_EXPIRE) != 0) {
            // Unmount only if the mark is already set (nothing used the mount since) and it is unused.
            if (m == rootMnt || (flags & (MNT_FORCE | MNT_DETACH)) != 0) return -Errno.EINVAL;
            if (MountNamespace.hasChildren(m) || m.users.get() != 0) return -Errno.EBUSY;
            if (!m.expiryMark) {
                m.expiryMark = true;
                return -Errno.EAGAIN;
            }
        }
        // MNT_FORCE: no kava filesystem has an umount_begin to abort its operations.
        if (m == rootMnt && (flags & MNT_DETACH) == 0) {
            // "Unmounting" one's own root only remounts it read-only (do_umount_root).
            if (!m.sb.readOnly()) {
                prepareRemountReadonly(t, m.sb);
                m.sb.reconfigure(true, List.of());
            }
            return 0;
        }
        if (!checkMnt(t, m) || !m.attached()) return -Errno.EINVAL; // not the real root
        MountNamespace ns = currentNs(t);
        if ((flags & MNT_DETACH) == 0) {
            // propagate_mount_busy: open files, working directories, roots, or mounts below.
            if (m.users.get() != 0 || MountNamespace.hasChildren(m)) return -Errno.EBUSY;
        }
        List<Mount> gone = MountNamespace.subtree(m);
        ns.detachTree(m);
        // The last mount of a filesystem gone: its watchers get IN_UNMOUNT (generic_shutdown_super).
        // kava tells them at the umount even when a lazy one leaves the files open on it in use.
        for (Mount x : gone) if (!MountNamespace.mounted(x.sb)) dev.kava.fs.notify.Fsnotify.unmount(x.sb);
        return 0;
    }

    // ---- pivot_root

    /** pivot_root(new_root, put_old): the caller's root mount goes to put_old, new_root's mount becomes the root. */
    static long pivotRoot(Task t, long newAddr, long oldAddr) {
        if (!mayMount(t.group.cred)) return -Errno.EPERM;
        FsPath nw = lookupDir(t, newAddr);
        FsPath old = lookupDir(t, oldAddr);
        FsPath root = t.group.fs.root();
        FsPath putOld = lockMount(old);
        Mount newMnt = nw.mnt(), rootMnt = root.mnt(), oldMnt = putOld.mnt();
        Mount exParent = newMnt.parent(), rootParent = rootMnt.parent();
        if (oldMnt.propagation == MS_SHARED || exParent.propagation == MS_SHARED
                || rootParent.propagation == MS_SHARED) {
            return -Errno.EINVAL;
        }
        if (!checkMnt(t, rootMnt) || !checkMnt(t, newMnt)) return -Errno.EINVAL;
        if (nw.dentry().unhashed() && !nw.dentry().isRoot()) return -Errno.ENOENT;
        if (newMnt == rootMnt || oldMnt == rootMnt) return -Errno.EBUSY; // loop, on the same file system
        if (!pathMounted(root)) return -Errno.EINVAL; // not a mountpoint
        if (!rootMnt.attached()) return -Errno.EINVAL; // absolute root
        if (!pathMounted(nw)) return -Errno.EINVAL; // not a mountpoint
        if (!newMnt.attached()) return -Errno.EINVAL; // absolute root
        // put_old must be reachable from new_root, and new_root lie below the root.
        if (!MountNamespace.isPathReachable(oldMnt, putOld.dentry(), nw)) return -Errno.EINVAL;
        if (!MountNamespace.isPathReachable(newMnt, nw.dentry(), root)) return -Errno.EINVAL;
        currentNs(t).pivot(newMnt, rootMnt, putOld);
        chrootFsRefs(t, root, nw);
        return 0;
    }

    /** user_path_at(LOOKUP_FOLLOW | LOOKUP_DIRECTORY). */
    private static FsPath lookupDir(Task t, long addr) {
        FsPath p = Namei.lookup(t, Fcntl.AT_FDCWD, t.mem.readPath(addr, false), true);
        if (!p.inode().isDir()) throw ErrnoException.of(Errno.ENOTDIR);
        return p;
    }

    /** chroot_fs_refs: every process whose root or working directory was the old root now has the new one. */
    private static void chrootFsRefs(Task t, FsPath oldRoot, FsPath newRoot) {
        List<FsContext> seen = new ArrayList<>();
        for (TaskGroup g : t.kernel.allGroups()) {
            FsContext fs = g.fs;
            if (fs == null) continue;
            boolean done = false;
            for (FsContext s : seen) done |= s == fs;
            if (done) continue;
            seen.add(fs);
            if (fs.root().equals(oldRoot)) fs.setRoot(newRoot);
            if (fs.cwd().equals(oldRoot)) fs.setCwd(newRoot);
        }
    }
}
