package dev.kava.fs.notify;

import dev.kava.fs.Dentry;
import dev.kava.fs.Inode;
import dev.kava.fs.hostfs.HostFs;
import dev.kava.kernel.Cred;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fsnotify core on hostfs, which makes a new inode object for each name of a file: a mark
 * belongs to the host file, so it is found, and gets events, through any of them.
 */
class FsnotifyTest {
    @TempDir
    Path tmp;

    /** A group that writes down what it is told. */
    static final class Recorder extends Group {
        final List<String> events = new ArrayList<>();

        @Override
        protected void handleInodeEvent(Mark mark, int mask, Inode inode, Inode dir, String name, int cookie) {
            events.add(Integer.toHexString(mask) + (name == null ? "" : " " + name));
        }

        @Override
        protected void freeingMark(Mark mark) {
            events.add("freed");
        }
    }

    @Test
    void hostfsMarksFollowTheHostFile() throws IOException {
        Files.writeString(tmp.resolve("f"), "data");
        Files.createLink(tmp.resolve("g"), tmp.resolve("f"));
        Files.createDirectories(tmp.resolve("d"));
        HostFs fs = new HostFs(tmp, false, () -> 0);
        Inode root = fs.root().inode();
        Inode f = root.lookup("f"), g = root.lookup("g");
        assertNotSame(f, g, "hostfs makes one inode object per name");
        assertEquals(f.identity(), g.identity());

        Recorder r = new Recorder();
        Mark m = new Mark(r, Fsnotify.FS_ATTRIB | Fsnotify.FS_MODIFY | Fsnotify.FS_DELETE_SELF, 0);
        Fsnotify.addMark(m, f);
        assertSame(m, Fsnotify.findMark(g, r), "the mark is found through the other name");
        assertNull(Fsnotify.findMark(root.lookup("d"), r));

        Dentry gd;
        synchronized (root.lock) {
            gd = fs.root().child("g");
        }
        Fsnotify.change(gd, Fsnotify.FS_ATTRIB);
        Fsnotify.change(gd, Fsnotify.FS_ACCESS); // not wanted
        assertEquals(List.of("4"), r.events);

        // A directory's mark, made on one inode object, sees its children's events through another.
        Mark dm = new Mark(r, Fsnotify.FS_MODIFY | Fsnotify.FS_CREATE | Fsnotify.FS_EVENT_ON_CHILD, 0);
        Fsnotify.addMark(dm, root.lookup("d"));
        Inode d2 = root.lookup("d");
        Inode created = d2.create("new", 0644, Cred.ROOT);
        Fsnotify.create(d2, "new", created);
        Dentry nd;
        Dentry dd;
        synchronized (root.lock) {
            dd = fs.root().child("d");
        }
        synchronized (dd.inode().lock) {
            nd = dd.child("new");
        }
        Fsnotify.change(nd, Fsnotify.FS_MODIFY);
        assertEquals(List.of("4", "100 new", "8000002 new"), r.events);

        // The end of the file: IN_DELETE_SELF, then the mark goes.
        r.events.clear();
        Fsnotify.inodeRemove(g);
        assertEquals(List.of("400", "freed"), r.events);
        assertNull(Fsnotify.findMark(f, r));
        assertFalse(fs.fsnotifyMarks.isEmpty(), "the directory's mark is still there");
        Fsnotify.unmount(fs);
        assertTrue(fs.fsnotifyMarks.isEmpty());
    }
}
