package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Mount;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filesystem types mount(2) can create by name (fs/filesystems.c: register_filesystem,
 * get_fs_type; /proc/filesystems lists them), and the parsing of mount's option string into
 * parameters (fs/fs_context.c: generic_parse_monolithic, vfs_parse_sb_flag).
 *
 * nullfs is deliberately absent: it exists once, under every mount tree, and mount -t nullfs
 * gets ENODEV.
 */
public final class FileSystems {
    private FileSystems() {}

    /** One "key" or "key=value" of a mount option string (struct fs_parameter); value is null for a flag. */
    public record Param(String key, String value) {}

    /**
     * get_tree of a filesystem type: a new superblock for source with the SB_* flags asked
     * (SB_RDONLY among them) and the filesystem's own parameters. Errors are thrown: EINVAL
     * for an unknown or bad parameter.
     */
    @FunctionalInterface
    public interface Factory {
        SuperBlock create(Kernel kernel, String source, int sbFlags, List<Param> params);
    }

    /** struct file_system_type: its name, whether it needs a block device (FS_REQUIRES_DEV), and how to make one. */
    public record Type(String name, boolean requiresDev, Factory factory) {}

    private static final Map<String, Type> TYPES = new LinkedHashMap<>();

    static {
        register("tmpfs", false, dev.kava.fs.tmpfs.Tmpfs::create);
        register("proc", false, dev.kava.fs.proc.ProcFs::create);
        register("sysfs", false, dev.kava.fs.sysfs.SysFs::create);
        register("devpts", false, dev.kava.fs.devpts.DevptsFs::create);
        register("mqueue", false, dev.kava.ipc.mqueue.MqueueFs::create);
    }

    /** register_filesystem: EBUSY when the name is taken. */
    public static synchronized void register(String name, boolean requiresDev, Factory factory) {
        if (TYPES.containsKey(name)) throw ErrnoException.of(Errno.EBUSY);
        TYPES.put(name, new Type(name, requiresDev, factory));
    }

    /** get_fs_type: the type, or null (mount then fails with ENODEV). */
    public static synchronized Type get(String name) {
        return TYPES.get(name);
    }

    /** Every registered type, in registration order (as /proc/filesystems lists them). */
    public static synchronized List<Type> list() {
        return new ArrayList<>(TYPES.values());
    }

    /**
     * generic_parse_monolithic: splits data at commas (empty items are skipped), turns the
     * generic superblock words (ro, rw, sync, async, dirsync, lazytime, nolazytime, mand,
     * nomand: vfs_parse_sb_flag) into SB_* flags in sbFlags[0], and returns the rest, which
     * belong to the filesystem.
     */
    public static List<Param> parse(String data, int[] sbFlags) {
        List<Param> out = new ArrayList<>();
        if (data == null) return out;
        for (String item : data.split(",", -1)) {
            if (item.isEmpty()) continue;
            int eq = item.indexOf('=');
            String key = eq < 0 ? item : item.substring(0, eq);
            String value = eq < 0 ? null : item.substring(eq + 1);
            if (value == null) {
                switch (key) {
                    case "dirsync" -> { sbFlags[0] |= Mount.MS_DIRSYNC; continue; }
                    case "lazytime" -> { sbFlags[0] |= Mount.MS_LAZYTIME; continue; }
                    case "mand" -> { sbFlags[0] |= Mount.MS_MANDLOCK; continue; }
                    case "ro" -> { sbFlags[0] |= Mount.MS_RDONLY; continue; }
                    case "sync" -> { sbFlags[0] |= Mount.MS_SYNCHRONOUS; continue; }
                    case "async" -> { sbFlags[0] &= ~Mount.MS_SYNCHRONOUS; continue; }
                    case "nolazytime" -> { sbFlags[0] &= ~Mount.MS_LAZYTIME; continue; }
                    case "nomand" -> { sbFlags[0] &= ~Mount.MS_MANDLOCK; continue; }
                    case "rw" -> { sbFlags[0] &= ~Mount.MS_RDONLY; continue; }
                    default -> { }
                }
            }
            out.add(new Param(key, value));
        }
        return out;
    }

    /**
     * memparse (lib/cmdline.c): a number in C notation (0x.. hex, 0.. octal, else decimal)
     * with an optional K, M, G, T, P or E suffix; returns the value and where parsing stopped.
     * Overflow wraps as unsigned long arithmetic does.
     */
    public static long[] memparse(String s) {
        int i = 0, n = s.length();
        int base = 10;
        if (i < n && s.charAt(i) == '0') {
            if (i + 1 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                    && i + 2 < n && Character.digit(s.charAt(i + 2), 16) >= 0) {
                base = 16;
                i += 2;
            } else {
                base = 8;
            }
        }
        long v = 0;
        while (i < n) {
            int d = Character.digit(s.charAt(i), base);
            if (d < 0 || s.charAt(i) > 'z') break;
            v = v * base + d;
            i++;
        }
        if (i < n) {
            int shift = switch (s.charAt(i)) {
                case 'E', 'e' -> 60;
                case 'P', 'p' -> 50;
                case 'T', 't' -> 40;
                case 'G', 'g' -> 30;
                case 'M', 'm' -> 20;
                case 'K', 'k' -> 10;
                default -> 0;
            };
            if (shift != 0) {
                v <<= shift;
                i++;
            }
        }
        return new long[]{v, i};
    }
}
