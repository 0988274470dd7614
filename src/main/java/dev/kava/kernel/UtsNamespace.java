package dev.kava.kernel;

import dev.kava.abi.Utsname;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * struct uts_namespace (include/linux/utsname.h, kernel/utsname.c): the host and NIS domain
 * names uname reports. The other new_utsname fields (sysname, release, version, machine) are
 * kava's constants ({@link dev.kava.kernel.sys.SysSyscalls}) and the same in every namespace.
 * Each field is kept as its 65 raw bytes, as Linux keeps it: sethostname copies len bytes and
 * NUL-pads the rest, and uname copies the whole field out.
 */
public final class UtsNamespace {
    /** PROC_UTS_INIT_INO (include/linux/proc_ns.h): the initial namespace's inode number. */
    public static final long PROC_UTS_INIT_INO = 0xEFFFFFFEL;
    /** PROC_DYNAMIC_FIRST (fs/proc/generic.c): where proc_alloc_inum starts for new namespaces. */
    public static final long PROC_DYNAMIC_FIRST = 0xF0000000L;
    /** The initial host name when none is given (kava's UTS_NODENAME). */
    public static final String DEFAULT_NODENAME = "kava";
    /** UTS_DOMAINNAME (include/linux/uts.h). */
    public static final String DEFAULT_DOMAINNAME = "(none)";

    /** uts_sem: readers copy a field out whole, writers replace it whole. */
    private final ReentrantReadWriteLock utsSem = new ReentrantReadWriteLock();
    private final byte[] nodename = new byte[Utsname.FIELD_LEN];
    private final byte[] domainname = new byte[Utsname.FIELD_LEN];
    /** ns.inum: what /proc/PID/ns/uts shows and namespaces are compared by. */
    public final long inum;
    /** ns.stashed: this namespace's nsfs inode once a /proc/PID/ns/uts link was followed; guarded by this. */
    public dev.kava.fs.Inode stashed;

    private UtsNamespace(long inum) {
        this.inum = inum;
    }

    /** init_uts_ns, its host name nodename (already checked with {@link #checkName}). */
    public static UtsNamespace initial(String nodename) {
        UtsNamespace ns = new UtsNamespace(PROC_UTS_INIT_INO);
        ns.set(ns.nodename, nodename.getBytes(StandardCharsets.ISO_8859_1));
        ns.set(ns.domainname, DEFAULT_DOMAINNAME.getBytes(StandardCharsets.ISO_8859_1));
        return ns;
    }

    /**
     * Why name cannot be a host name given to sethostname (1 to __NEW_UTS_LEN bytes), or null
     * when it can. (sethostname itself takes 0 bytes too; a machine is not started nameless.)
     */
    public static String checkName(String name) {
        int len = name.getBytes(StandardCharsets.ISO_8859_1).length;
        if (len == 0) return "the host name is empty";
        if (len > Utsname.NEW_UTS_LEN) return "the host name is " + len + " bytes, more than " + Utsname.NEW_UTS_LEN;
        return null;
    }

    /** clone_uts_ns: a new namespace whose names start as a copy of this one's, with inode number inum. */
    public UtsNamespace copy(long inum) {
        UtsNamespace ns = new UtsNamespace(inum);
        utsSem.readLock().lock();
        try {
            System.arraycopy(nodename, 0, ns.nodename, 0, Utsname.FIELD_LEN);
            System.arraycopy(domainname, 0, ns.domainname, 0, Utsname.FIELD_LEN);
        } finally {
            utsSem.readLock().unlock();
        }
        return ns;
    }

    /** The 65 bytes of the nodename field. */
    public byte[] nodename() {
        return get(nodename);
    }

    /** The 65 bytes of the domainname field. */
    public byte[] domainname() {
        return get(domainname);
    }

    /**
     * sethostname's store: value (at most __NEW_UTS_LEN bytes, or a whole field ending in NUL
     * as a /proc/sys write leaves it), NUL-padded to the field.
     */
    public void setNodename(byte[] value) {
        set(nodename, value);
    }

    /** setdomainname's store. */
    public void setDomainname(byte[] value) {
        set(domainname, value);
    }

    /** The field up to its first NUL, as strlen sees it (the /proc/sys value, log lines). */
    public static String cString(byte[] field) {
        int n = 0;
        while (n < field.length && field[n] != 0) n++;
        return new String(field, 0, n, StandardCharsets.ISO_8859_1);
    }

    private byte[] get(byte[] field) {
        utsSem.readLock().lock();
        try {
            return field.clone();
        } finally {
            utsSem.readLock().unlock();
        }
    }

    private void set(byte[] field, byte[] value) {
        if (value.length > Utsname.FIELD_LEN || (value.length == Utsname.FIELD_LEN && value[Utsname.NEW_UTS_LEN] != 0)) {
            throw new IllegalArgumentException("a UTS name of " + value.length + " bytes");
        }
        utsSem.writeLock().lock();
        try {
            System.arraycopy(value, 0, field, 0, value.length);
            java.util.Arrays.fill(field, value.length, Utsname.FIELD_LEN, (byte) 0);
        } finally {
            utsSem.writeLock().unlock();
        }
    }
}
