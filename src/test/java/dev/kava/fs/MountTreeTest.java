package dev.kava.fs;

import dev.kava.fs.nullfs.NullFs;
import dev.kava.fs.tmpfs.Tmpfs;
import dev.kava.kernel.Cred;
import dev.kava.mm.PageAllocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mount tree operations behind mount(2), umount2 and pivot_root (fs/namespace.c): binds
 * with and without MS_REC, MS_MOVE, the pivot that stacks the old root on the new one, and
 * the init namespace's root, which can be pivoted and unmounted because nullfs is under it.
 */
class MountTreeTest {
    MountNamespace ns;
    FsPath root;

    static Tmpfs tmpfs() {
        return new Tmpfs("tmpfs", "tmpfs", () -> 0, PageAllocator.UNLIMITED, 1 << 20, 100, 0755);
    }

    @BeforeEach
    void setUp() {
        NullFs nullfs = new NullFs(() -> 0);
        ns = new MountNamespace(nullfs);
        Tmpfs rootfs = tmpfs();
        ns.attach(MountNamespace.newMount(rootfs, rootfs.root(), 0), new FsPath(ns.root(), nullfs.root()));
        root = ns.rootPath();
        for (String d : new String[]{"a", "b", "c"}) root.inode().mkdir(d, 0755, Cred.ROOT);
    }

    FsPath lookup(String path) {
        return Namei.kernLookup(Cred.ROOT, root, root, path, true);
    }

    String name(FsPath p) {
        return MountNamespace.path(p, root);
    }

    /** A new tmpfs mounted at path, with the named subdirectories. */
    Mount mount(String path, String... dirs) {
        Tmpfs t = tmpfs();
        for (String d : dirs) t.root().inode().mkdir(d, 0755, Cred.ROOT);
        Mount m = MountNamespace.newMount(t, t.root(), 0);
        ns.attach(m, lookup(path));
        return m;
    }

    @Test
    void bindCopiesSubmountsOnlyWithRec() {
        Mount a = mount("/a", "sub", "other");
        Mount sub = mount("/a/sub", "deep");
        Mount unbindable = mount("/a/other");
        unbindable.propagation = dev.kava.abi.Mount.MS_UNBINDABLE;
        FsPath src = lookup("/a");
        Mount plain = ns.bind(src.mnt(), src.dentry(), false, lookup("/b"));
        assertSame(a.sb, lookup("/b").mnt().sb);
        assertSame(a.sb, lookup("/b/sub").mnt().sb, "without MS_REC the submount is not there");
        Mount rec = ns.bind(src.mnt(), src.dentry(), true, lookup("/c"));
        assertSame(sub.sb, lookup("/c/sub").mnt().sb, "with MS_REC it is");
        assertEquals("/c/sub/deep", name(lookup("/c/sub/deep")));
        assertSame(a.sb, lookup("/c/other").mnt().sb, "unbindable mounts are left out");
        assertEquals(List.of(rec, lookup("/c/sub").mnt()), MountNamespace.subtree(rec));
        assertTrue(MountNamespace.hasChildren(rec));
        assertFalse(MountNamespace.hasChildren(plain));
    }

    @Test
    void bindOfASubdirectoryShowsOnlyIt() {
        mount("/a", "x");
        FsPath x = lookup("/a/x");
        x.inode().mkdir("inside", 0755, Cred.ROOT);
        Mount m = ns.bind(x.mnt(), x.dentry(), true, lookup("/b"));
        assertSame(x.dentry(), m.root);
        assertEquals("/b/inside", name(lookup("/b/inside")));
        assertEquals("/", name(lookup("/b/..")), ".. leaves the bind mount at its mountpoint");
    }

    @Test
    void bindIntoItselfIsCopiedFirst() {
        mount("/a", "in");
        FsPath a = lookup("/a");
        ns.bind(a.mnt(), a.dentry(), true, lookup("/a/in"));
        assertEquals("/a/in/in", name(lookup("/a/in/in")), "the copy does not contain itself");
    }

    @Test
    void moveTakesTheSubtreeAlong() {
        Mount a = mount("/a", "sub");
        Mount sub = mount("/a/sub");
        ns.move(a, lookup("/b"));
        assertSame(root.mnt(), lookup("/a").mnt(), "the old place shows the directory again");
        assertSame(a, lookup("/b").mnt());
        assertSame(sub, lookup("/b/sub").mnt());
        assertEquals("/b/sub", name(lookup("/b/sub")));
        assertEquals(List.of(ns.root(), root.mnt(), a, sub), ns.mounts(), "mount order is unchanged");
    }

    @Test
    void pivotStacksTheOldRootOnTheNewOne() {
        Mount nr = mount("/a", "old");
        FsPath newRoot = lookup("/a");
        Mount oldRoot = root.mnt();
        assertTrue(MountNamespace.isPathReachable(nr, newRoot.dentry(), root));
        // pivot_root("/a", "/a/old")
        ns.pivot(nr, oldRoot, MountNamespace.followDown(lookup("/a/old")));
        assertSame(nr, ns.rootPath().mnt(), "the new root sits on nullfs");
        assertSame(ns.root(), nr.parent());
        FsPath nroot = ns.rootPath();
        assertEquals("/old/a", MountNamespace.path(new FsPath(oldRoot, root.dentry().child("a")), nroot));
        assertEquals("/", MountNamespace.path(newRoot, nroot));
        // pivot_root(".", "."): the old root goes on top of the new one, then is detached.
        Tmpfs t = tmpfs();
        Mount next = MountNamespace.newMount(t, t.root(), 0);
        FsPath where = Namei.kernLookup(Cred.ROOT, nroot, nroot, "/old/b", true);
        ns.attach(next, where);
        FsPath dot = new FsPath(next, t.root());
        ns.pivot(next, nr, MountNamespace.followDown(dot));
        assertSame(next, ns.root().children.getFirst());
        assertSame(nr, MountNamespace.followDown(dot).mnt(), "the old root covers the new one");
        ns.detachTree(nr);
        assertNull(nr.namespace());
        assertNull(oldRoot.namespace(), "everything below the old root went with it");
        assertSame(next, ns.rootPath().mnt());
        assertEquals(List.of(ns.root(), next), ns.mounts());
    }

    @Test
    void theInitRootCanBeDetachedFromNullfs() {
        Mount r = root.mnt();
        assertTrue(r.attached(), "nullfs is its parent");
        ns.detachTree(r);
        assertFalse(r.attached());
        assertSame(ns.root(), ns.rootPath().mnt(), "nullfs shows again");
    }

    @Test
    void slaveKeepsUnbindableAndPrivate() {
        assertEquals(dev.kava.abi.Mount.MS_UNBINDABLE, NamespaceSyscalls.changeMntPropagation(dev.kava.abi.Mount.MS_UNBINDABLE, dev.kava.abi.Mount.MS_SLAVE));
        assertEquals(dev.kava.abi.Mount.MS_PRIVATE, NamespaceSyscalls.changeMntPropagation(dev.kava.abi.Mount.MS_PRIVATE, dev.kava.abi.Mount.MS_SLAVE));
        assertEquals(dev.kava.abi.Mount.MS_SLAVE, NamespaceSyscalls.changeMntPropagation(dev.kava.abi.Mount.MS_SHARED, dev.kava.abi.Mount.MS_SLAVE));
        assertEquals(dev.kava.abi.Mount.MS_SHARED, NamespaceSyscalls.changeMntPropagation(dev.kava.abi.Mount.MS_UNBINDABLE, dev.kava.abi.Mount.MS_SHARED));
    }

    @Test
    void usingAMountClearsItsExpiryMark() {
        Mount a = mount("/a");
        a.expiryMark = true;
        File f = new OPathFile(lookup("/a"), dev.kava.abi.Fcntl.O_PATH);
        assertFalse(a.expiryMark);
        a.expiryMark = true;
        f.fput();
        assertFalse(a.expiryMark);
        assertEquals(0, a.users.get());
    }
}
