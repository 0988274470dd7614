package dev.kava.fs.tmpfs;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;
import dev.kava.mm.Page;

import java.util.Map;
import java.util.TreeMap;

/**
 * A tmpfs file's contents: a sparse map of page frames (the file's page cache, which for
 * tmpfs is the only copy) and its size. Holes read as zeros and take no memory.
 */
final class ShmemData {
    /** MAX_LFS_FILESIZE on 64-bit. */
    static final long MAX_FILE_SIZE = Long.MAX_VALUE;

    private final Tmpfs fs;
    private final TreeMap<Long, Page> pages = new TreeMap<>();
    /**
     * Pages fallocate added and nothing has written yet (shmem's !uptodate folios): they hold
     * zeros and count in st_blocks, but SEEK_DATA and SEEK_HOLE see them as holes.
     */
    private final java.util.TreeSet<Long> fallocated = new java.util.TreeSet<>();
    private long size;

    ShmemData(Tmpfs fs) {
        this.fs = fs;
    }

    synchronized long size() {
        return size;
    }

    synchronized long pageCount() {
        return pages.size();
    }

    /** The frame holding page index, allocated (and charged) when create is set; null for a hole. */
    synchronized Page page(long index, boolean create) {
        Page p = pages.get(index);
        if (p == null && create) {
            fs.chargePage();
            p = Page.newFrame();
            pages.put(index, p);
        }
        return p;
    }

    synchronized int read(long pos, byte[] dst, int off, int len) {
        if (pos >= size || len == 0) return 0;
        int n = (int) Math.min(len, size - pos);
        int done = 0;
        while (done < n) {
            long p = pos + done;
            int inPage = (int) (p & Page.MASK);
            int chunk = Math.min(n - done, Page.SIZE - inPage);
            Page pg = pages.get(p >>> Page.SHIFT);
            if (pg == null) java.util.Arrays.fill(dst, off + done, off + done + chunk, (byte) 0);
            else pg.read(inPage, dst, off + done, chunk);
            done += chunk;
        }
        return n;
    }

    /** Writes at pos; returns the bytes written, fewer than len only if space ran out after some were. */
    synchronized int write(long pos, byte[] src, int off, int len) {
        if (len == 0) return 0;
        if (pos < 0 || pos > MAX_FILE_SIZE - len) throw ErrnoException.of(Errno.EFBIG);
        int done = 0;
        try {
            while (done < len) {
                long p = pos + done;
                int inPage = (int) (p & Page.MASK);
                int chunk = Math.min(len - done, Page.SIZE - inPage);
                page(p >>> Page.SHIFT, true).write(inPage, src, off + done, chunk);
                fallocated.remove(p >>> Page.SHIFT); // shmem_write_end marks the folio uptodate
                done += chunk;
                if (p + chunk > size) size = p + chunk;
            }
        } catch (ErrnoException e) {
            if (done == 0) throw e;
        }
        return done;
    }

    /** Sets the size; pages wholly past it are freed and the tail of the last one is zeroed. */
    synchronized void truncate(long newSize) {
        if (newSize < 0) throw ErrnoException.of(Errno.EINVAL);
        if (newSize < size) {
            long firstGone = (newSize + Page.SIZE - 1) >>> Page.SHIFT;
            Map<Long, Page> tail = pages.tailMap(firstGone, true);
            long n = tail.size();
            tail.clear();
            fallocated.tailSet(firstGone, true).clear();
            fs.unchargePages(n);
            int inPage = (int) (newSize & Page.MASK);
            if (inPage != 0) {
                Page last = pages.get(newSize >>> Page.SHIFT);
                if (last != null) last.zero(inPage, Page.SIZE - inPage);
            }
        }
        size = newSize;
    }

    /**
     * fallocate mode 0 / KEEP_SIZE: allocates the pages of [off, off+len). A failure part way
     * (ENOSPC) removes the pages this call added, as shmem_fallocate's undo does.
     */
    synchronized void allocate(long off, long len, boolean keepSize) {
        long first = off >>> Page.SHIFT, last = (off + len - 1) >>> Page.SHIFT;
        // Try to avoid a swapstorm if len is impossible to satisfy.
        if (fs.maxPages() != 0 && last - first + 1 > fs.maxPages()) throw ErrnoException.of(Errno.ENOSPC);
        java.util.List<Long> added = new java.util.ArrayList<>();
        try {
            for (long i = first; i <= last; i++) {
                if (pages.containsKey(i)) continue;
                page(i, true);
                fallocated.add(i);
                added.add(i);
            }
        } catch (ErrnoException e) {
            for (long i : added) {
                pages.remove(i);
                fallocated.remove(i);
            }
            fs.unchargePages(added.size());
            throw e;
        }
        if (!keepSize && off + len > size) size = off + len;
    }

    /**
     * FALLOC_FL_PUNCH_HOLE: zeroes [off, off+len) within the file, freeing whole pages. Only
     * the pages that exist are visited (shmem_truncate_range), however large the range.
     */
    synchronized void punchHole(long off, long len) {
        long end = Math.min(size, off + len);
        if (off >= end) return;
        long first = off >>> Page.SHIFT, last = end >>> Page.SHIFT;
        int headIn = (int) (off & Page.MASK), tailIn = (int) (end & Page.MASK);
        if (first == last) {
            zero(first, headIn, tailIn);
            return;
        }
        if (headIn != 0) zero(first++, headIn, Page.SIZE);
        if (tailIn != 0) zero(last, 0, tailIn);
        Map<Long, Page> whole = pages.subMap(first, true, last, false);
        long n = whole.size();
        fallocated.subSet(first, true, last, false).clear();
        whole.clear();
        fs.unchargePages(n);
    }

    /** Zeroes bytes [from, to) of page index, if it exists. */
    private void zero(long index, int from, int to) {
        Page pg = pages.get(index);
        if (pg != null && to > from) pg.zero(from, to - from);
    }

    /** Whether page index holds data (mapping_seek_hole_data: a present, uptodate folio). */
    private boolean isData(long idx) {
        return pages.containsKey(idx) && !fallocated.contains(idx);
    }

    /**
     * SEEK_DATA: the first data offset at or after off (holes are whole missing or fallocated
     * pages); -1 if none.
     */
    synchronized long seekData(long off) {
        if (off >= size) return -1;
        Long idx = pages.ceilingKey(off >>> Page.SHIFT);
        while (idx != null && fallocated.contains(idx)) idx = pages.higherKey(idx);
        if (idx == null) return -1;
        long at = Math.max(off, idx << Page.SHIFT);
        return at >= size ? -1 : at;
    }

    /** SEEK_HOLE: the first hole offset at or after off (end of file counts as a hole). */
    synchronized long seekHole(long off) {
        long idx = off >>> Page.SHIFT;
        while ((idx << Page.SHIFT) < size && isData(idx)) idx++;
        return Math.min(size, Math.max(off, idx << Page.SHIFT));
    }
}
