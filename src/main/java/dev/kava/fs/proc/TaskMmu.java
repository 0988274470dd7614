package dev.kava.fs.proc;

import dev.kava.abi.Mman;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Kstat;
import dev.kava.fs.MountNamespace;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.mm.AddressSpace;
import dev.kava.mm.Mmap;
import dev.kava.mm.Page;

import java.util.List;

/** A process's memory as procfs shows it (fs/proc/task_mmu.c): maps, smaps_rollup, and the figures of status and statm. */
final class TaskMmu {
    private TaskMmu() {}

    /** The address space of a live process, or null once it has exited (get_task_mm). */
    static Mmap mm(TaskGroup g) {
        if (g.zombie || g.reaped || g.threadsSnapshot().isEmpty()) return null;
        return g.mm;
    }

    /** The open file behind a file mapping, or null for anonymous and kernel-made ones ([vdso], [vvar]). */
    static File mappedFile(Mmap.Vma v) {
        return v.file() instanceof Mmap.FileBacking fb && fb.file() instanceof File f ? f : null;
    }

    /**
     * Whether v maps a tmpfs file shared (shared anonymous memory, memfds, System V segments,
     * /dev/shm): its resident pages count as MM_SHMEMPAGES (RssShmem, Pss_Shmem), not as file pages.
     */
    static boolean sharedShmem(Mmap.Vma v) {
        return v.shared() && v.file() != null && v.file().hasPageCache();
    }

    /** show_map_vma: "start-end perms offset major:minor inode", padded to 73 columns, then the name. */
    static String mapLine(Mmap.Vma v, Task reader) {
        StringBuilder sb = new StringBuilder(100);
        hex(sb, v.start(), 8).append('-');
        hex(sb, v.end(), 8).append(' ');
        sb.append((v.prot() & Mman.PROT_READ) != 0 ? 'r' : '-');
        sb.append((v.prot() & Mman.PROT_WRITE) != 0 ? 'w' : '-');
        sb.append((v.prot() & Mman.PROT_EXEC) != 0 ? 'x' : '-');
        sb.append(v.shared() ? 's' : 'p').append(' ');
        File f = mappedFile(v);
        long pgoff = v.file() != null ? v.fileOffset() : 0;
        long dev = 0, ino = 0;
        String name = v.name();
        if (f != null) {
            Kstat st = f.stat();
            dev = st.dev();
            ino = st.ino();
            FsPath p = f.path();
            if (p != null) name = MountNamespace.path(p, reader == null ? null : reader.group.fs.root());
        } else if (v.file() != null && name == null) {
            name = v.file().name();
        }
        hex(sb, pgoff, 8).append(' ');
        hex(sb, ProcText.major(dev), 2).append(':');
        hex(sb, ProcText.minor(dev), 2).append(' ');
        sb.append(ino).append(' ');
        if (name != null && !name.isEmpty()) {
            while (sb.length() < 25 + 8 * 6 - 1) sb.append(' '); // seq_setwidth(m, 25 + sizeof(void *) * 6 - 1), seq_pad
            sb.append(' ').append(ProcText.escape(name, "\n"));
        }
        return sb.append('\n').toString();
    }

    private static StringBuilder hex(StringBuilder sb, long v, int width) {
        String h = Long.toHexString(v);
        for (int i = h.length(); i < width; i++) sb.append('0');
        return sb.append(h);
    }

    /** /proc/PID/maps. */
    static byte[] maps(PidDir p, Task reader) {
        Mmap mm = mm(p.g);
        if (mm == null) return new byte[0];
        StringBuilder sb = new StringBuilder();
        for (Mmap.Vma v : mm.vmas()) sb.append(mapLine(v, reader));
        return SeqFile.bytes(sb);
    }

    /** The figures of task_mem and task_statm, from the areas and the pages they have. */
    record Mem(long totalVm, long dataVm, long stackVm, long execVm, long textBytes, long rssAnon, long rssFile,
               long rssShmem, long pteBytes) {
        long rss() {
            return rssAnon + rssFile + rssShmem;
        }
    }

    static Mem mem(Mmap mm) {
        long total = 0, data = 0, stack = 0, exec = 0, anon = 0, file = 0, shmem = 0;
        AddressSpace as = mm.as;
        for (Mmap.Vma v : mm.vmas()) {
            long pages = (v.end() - v.start()) >>> Page.SHIFT;
            total += pages;
            boolean write = (v.prot() & Mman.PROT_WRITE) != 0;
            // vm_stat_account: stack areas, private writable data, and executable code, separately.
            if (v.growsDown()) stack += pages;
            else if (write && !v.shared()) data += pages;
            else if ((v.prot() & Mman.PROT_EXEC) != 0 && !write) exec += pages;
            long resident = as.residency(v.start(), v.end()).pages();
            if (sharedShmem(v)) shmem += resident;
            else if (mappedFile(v) != null && !write) file += resident;
            else anon += resident; // private pages of a writable file mapping are anonymous once written (approximation)
        }
        Mmap.Layout l = mm.layout();
        long text = l.endCode() == 0 ? 0 : Mmap.pageAlign(l.endCode()) - (l.startCode() & ~Page.MASK);
        // Page tables: one 4 KiB leaf table per 2 MiB touched, and the levels above (an estimate;
        // kava's page table is not Sv48's).
        long rss = anon + file + shmem;
        long pte = ((rss + 511) / 512 + (rss + (512L * 512) - 1) / (512L * 512)) * Page.SIZE;
        return new Mem(total, data, stack, exec, Math.max(0, text), anon, file, shmem, rss == 0 ? 0 : pte);
    }

    /** /proc/PID/smaps_rollup: the sums of smaps over every area, under the [rollup] header. */
    static byte[] smapsRollup(PidDir p, Task reader) {
        Mmap mm = mm(p.g);
        if (mm == null) return new byte[0];
        List<Mmap.Vma> vmas = mm.vmas();
        if (vmas.isEmpty()) return new byte[0];
        long rss = 0, pss = 0, pssAnon = 0, pssFile = 0, pssShmem = 0, sharedClean = 0, privateClean = 0;
        long sharedDirty = 0, privateDirty = 0, anonymous = 0, pssDirty = 0, locked = 0;
        for (Mmap.Vma v : vmas) {
            AddressSpace.Residency r = mm.as.residency(v.start(), v.end());
            long bytes = r.pages() * Page.SIZE, shared = r.sharedPages() * Page.SIZE;
            rss += bytes;
            pss += r.pssBytes();
            if (v.locked()) locked += r.pssBytes(); // smap_gather_stats: a VM_LOCKED area's pss
            boolean isShmem = sharedShmem(v), isFile = mappedFile(v) != null && !isShmem;
            boolean anon = !isFile && !isShmem;
            if (isShmem) pssShmem += r.pssBytes();
            else if (isFile) pssFile += r.pssBytes();
            else pssAnon += r.pssBytes();
            // Dirty: anonymous memory is dirty once there; a file's pages are clean until written
            // (a private writable file page that was written became anonymous: counted as dirty).
            boolean dirty = anon || (v.prot() & Mman.PROT_WRITE) != 0;
            if (dirty) {
                pssDirty += r.pssBytes();
                sharedDirty += shared;
                privateDirty += bytes - shared;
            } else {
                sharedClean += shared;
                privateClean += bytes - shared;
            }
            if (anon || (isFile && (v.prot() & Mman.PROT_WRITE) != 0 && !v.shared())) anonymous += bytes;
        }
        StringBuilder sb = new StringBuilder();
        Mmap.Vma first = vmas.get(0), last = vmas.get(vmas.size() - 1);
        hex(sb, first.start(), 8).append('-');
        hex(sb, last.end(), 8).append(" ---p 00000000 00:00 0");
        while (sb.length() < 25 + 8 * 6 - 1) sb.append(' ');
        sb.append(" [rollup]\n");
        kb(sb, "Rss", rss);
        kb(sb, "Pss", pss);
        kb(sb, "Pss_Dirty", pssDirty);
        kb(sb, "Pss_Anon", pssAnon);
        kb(sb, "Pss_File", pssFile);
        kb(sb, "Pss_Shmem", pssShmem);
        kb(sb, "Shared_Clean", sharedClean);
        kb(sb, "Shared_Dirty", sharedDirty);
        kb(sb, "Private_Clean", privateClean);
        kb(sb, "Private_Dirty", privateDirty);
        kb(sb, "Referenced", rss);
        kb(sb, "Anonymous", anonymous);
        kb(sb, "KSM", 0);
        kb(sb, "LazyFree", 0);
        kb(sb, "AnonHugePages", 0);
        kb(sb, "ShmemPmdMapped", 0);
        kb(sb, "FilePmdMapped", 0);
        kb(sb, "Shared_Hugetlb", 0);
        kb(sb, "Private_Hugetlb", 0);
        kb(sb, "Swap", 0);
        kb(sb, "SwapPss", 0);
        kb(sb, "Locked", locked);
        return SeqFile.bytes(sb);
    }

    /** SEQ_PUT_DEC: "Name:" then the value in kB right-aligned in 8 columns after padding the name to 16. */
    private static void kb(StringBuilder sb, String name, long bytes) {
        String label = name + ":";
        sb.append(label);
        String v = Long.toString(bytes >> 10);
        for (int i = label.length() + v.length(); i < 16 + 8; i++) sb.append(' ');
        sb.append(v).append(" kB\n");
    }
}
