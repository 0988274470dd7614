/* mount(2), umount2 and the namespace checks of namei.c, under tmp/ (a tmpfs under kava).
   kava-only because qemu would mount on the host: mount_ns.expected was made by running this
   program under qemu-riscv64-static as root inside `unshare --mount --propagation private`
   on Linux 6.18 (from a directory with an empty tmp/, which is not a mount point there,
   whereas under kava it is: nothing below depends on that), and checked against
   fs/namespace.c. It covers: new tmpfs mounts and their options (size, mode, nr_inodes,
   uid, gid; EINVAL for bad ones, ENODEV for unknown types and nullfs), stacking, EBUSY,
   EINVAL for non-mountpoints, UMOUNT_NOFOLLOW, MNT_EXPIRE's EAGAIN, MNT_DETACH with an open
   file, bind mounts (MS_REC), EXDEV between mounts, MS_REMOUNT of a mount (bind) and of a
   superblock (ro, size=), MS_MOVE (ELOOP), propagation flags, and EPERM without root. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-40s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void ls(const char *p) {
    DIR *d = opendir(p);
    if (!d) { printf("  ls %s: %s\n", p, strerrorname_np(errno)); return; }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmpstr);
    printf("  ls %s:", p);
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
}

static void mk(const char *p, const char *text) {
    int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) { printf("  create %s: %s\n", p, strerrorname_np(errno)); return; }
    write(fd, text, strlen(text));
    close(fd);
}

static void cat(const char *p) {
    char buf[64];
    int fd = open(p, O_RDONLY);
    if (fd < 0) { printf("  %s: %s\n", p, strerrorname_np(errno)); return; }
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    printf("  %s holds \"%.*s\"\n", p, (int)(n > 0 ? n : 0), buf);
}

static dev_t devof(const char *p) {
    struct stat s;
    if (stat(p, &s) != 0) return (dev_t)-1;
    return s.st_dev;
}

static void mode(const char *p) {
    struct stat s;
    if (stat(p, &s) != 0) { printf("  stat %s: %s\n", p, strerrorname_np(errno)); return; }
    printf("  %s: mode %04o uid %u gid %u\n", p, s.st_mode & 07777, s.st_uid, s.st_gid);
}

static void new_mounts(void) {
    printf("== new tmpfs mounts\n");
    mkdir("tmp/m", 0755);
    mk("tmp/m/under", "below the mount");
    TRY("mount tmpfs", mount("none", "tmp/m", "tmpfs", 0, "size=1m,mode=0700,uid=12,gid=34"));
    printf("  new device %d\n", devof("tmp/m") != devof("tmp"));
    mode("tmp/m");
    ls("tmp/m");
    int fd = open("tmp/m/big", O_CREAT | O_WRONLY, 0644);
    static char chunk[65536];
    long total = 0, w;
    while ((w = write(fd, chunk, sizeof chunk)) > 0) total += w;
    printf("  wrote %ld before %s\n", total, strerrorname_np(errno));
    close(fd);
    TRY("remount size=512k (too small)", mount(NULL, "tmp/m", NULL, MS_REMOUNT, "size=512k"));
    TRY("remount size=2m", mount(NULL, "tmp/m", NULL, MS_REMOUNT, "size=2m"));
    fd = open("tmp/m/big", O_WRONLY | O_APPEND);
    TRY("write after growing", write(fd, chunk, sizeof chunk));
    close(fd);
    unlink("tmp/m/big");
    TRY("remount mode=0755 (ignored)", mount(NULL, "tmp/m", NULL, MS_REMOUNT, "mode=0755"));
    mode("tmp/m");
    TRY("remount bogus option", mount(NULL, "tmp/m", NULL, MS_REMOUNT, "bogus"));
    mkdir("tmp/m/d", 0755);
    TRY("remount a non-mountpoint", mount(NULL, "tmp/m/d", NULL, MS_REMOUNT, NULL));
    TRY("remount bind a non-mountpoint", mount(NULL, "tmp/m/d", NULL, MS_REMOUNT | MS_BIND, NULL));
    rmdir("tmp/m/d");

    printf("== bad mounts\n");
    mkdir("tmp/b", 0755);
    TRY("size=abc", mount("none", "tmp/b", "tmpfs", 0, "size=abc"));
    TRY("size=10q", mount("none", "tmp/b", "tmpfs", 0, "size=10q"));
    TRY("mode=999", mount("none", "tmp/b", "tmpfs", 0, "mode=999"));
    TRY("uid=-1", mount("none", "tmp/b", "tmpfs", 0, "uid=4294967295"));
    TRY("unknown option", mount("none", "tmp/b", "tmpfs", 0, "nosuchoption"));
    TRY("size as a flag", mount("none", "tmp/b", "tmpfs", 0, "size"));
    TRY("noswap=1", mount("none", "tmp/b", "tmpfs", 0, "noswap=1"));
    TRY("unknown type", mount("none", "tmp/b", "nosuchfs", 0, NULL));
    TRY("nullfs", mount("none", "tmp/b", "nullfs", 0, NULL));
    TRY("no type", mount("none", "tmp/b", NULL, 0, NULL));
    TRY("missing mountpoint", mount("none", "tmp/none", "tmpfs", 0, NULL));
    mk("tmp/file", "a file");
    TRY("tmpfs on a file", mount("none", "tmp/file", "tmpfs", 0, NULL));
    TRY("MS_NOUSER", mount("none", "tmp/b", "tmpfs", 1UL << 31, NULL));
    TRY("bad type pointer", mount("none", "tmp/b", (char *)8, 0, NULL));
    TRY("ro tmpfs", mount("none", "tmp/b", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "nr_inodes=2,inode64"));
    TRY("mkdir in ro tmpfs", mkdir("tmp/b/x", 0755));
    TRY("remount rw", mount(NULL, "tmp/b", NULL, MS_REMOUNT, "rw"));
    TRY("mkdir 1 (the root is inode 1 of 2)", mkdir("tmp/b/x", 0755));
    TRY("mkdir 2 (nr_inodes=2)", mkdir("tmp/b/y", 0755));
    TRY("umount tmp/b", umount("tmp/b"));
    TRY("old-style magic flags", mount("none", "tmp/b", "tmpfs", 0xC0ED0000UL, NULL));
    TRY("umount again", umount("tmp/b"));
}

static void stacking(void) {
    printf("== stacking and busy mounts\n");
    mk("tmp/m/top1", "first tmpfs");
    TRY("mount on top", mount("second", "tmp/m", "tmpfs", 0, NULL));
    ls("tmp/m");
    mode("tmp/m");
    TRY("umount top", umount("tmp/m"));
    ls("tmp/m");
    int fd = open("tmp/m/top1", O_RDONLY);
    TRY("umount with an open file", umount("tmp/m"));
    TRY("umount2 MNT_FORCE, still open", umount2("tmp/m", MNT_FORCE));
    close(fd);
    TRY("chdir into it", chdir("tmp/m"));
    TRY("umount the cwd's mount", umount("."));
    TRY("chdir back", chdir("../.."));
    mkdir("tmp/m/sub", 0755);
    TRY("umount a non-mountpoint", umount("tmp/m/sub"));
    TRY("umount a missing path", umount("tmp/m/none"));
    TRY("umount2 bad flags", umount2("tmp/m", 0x10));
    TRY("umount2 UMOUNT_UNUSED", umount2("tmp/m", 0x80000000));
    TRY("mount on sub", mount("none", "tmp/m/sub", "tmpfs", 0, NULL));
    TRY("umount parent of a mount", umount("tmp/m"));
    TRY("rmdir a mountpoint", rmdir("tmp/m/sub"));
    TRY("rename a mountpoint", rename("tmp/m/sub", "tmp/m/sub2"));
    TRY("rename over a mountpoint", rename("tmp/m/top1", "tmp/m/sub"));
    TRY("umount sub", umount("tmp/m/sub"));
    symlink("m", "tmp/lm");
    TRY("umount2 NOFOLLOW of a symlink", umount2("tmp/lm", UMOUNT_NOFOLLOW));
    TRY("umount2 MNT_EXPIRE|MNT_DETACH", umount2("tmp/lm", MNT_EXPIRE | MNT_DETACH));
    TRY("umount2 MNT_EXPIRE", umount2("tmp/lm", MNT_EXPIRE));
    TRY("umount2 MNT_EXPIRE again", umount2("tmp/lm", MNT_EXPIRE));
    ls("tmp/m");
    unlink("tmp/lm");
    TRY("mount again", mount("none", "tmp/m", "tmpfs", 0, NULL));
    mk("tmp/m/kept", "kept open");
    fd = open("tmp/m/kept", O_RDONLY);
    TRY("umount2 MNT_EXPIRE, busy", umount2("tmp/m", MNT_EXPIRE));
    TRY("umount2 MNT_DETACH, busy", umount2("tmp/m", MNT_DETACH));
    ls("tmp/m");
    char buf[32];
    ssize_t n = read(fd, buf, sizeof buf);
    printf("  the open file still reads \"%.*s\"\n", (int)n, buf);
    close(fd);
}

static void binds(void) {
    printf("== bind mounts\n");
    mkdir("tmp/src", 0755);
    mkdir("tmp/src/inner", 0755);
    mkdir("tmp/dst", 0755);
    mkdir("tmp/dst2", 0755);
    mk("tmp/src/s", "in src");
    TRY("mount on src/inner", mount("none", "tmp/src/inner", "tmpfs", 0, NULL));
    mk("tmp/src/inner/deep", "in the submount");
    TRY("bind", mount("tmp/src", "tmp/dst", NULL, MS_BIND, NULL));
    ls("tmp/dst");
    ls("tmp/dst/inner");
    TRY("rbind", mount("tmp/src", "tmp/dst2", NULL, MS_BIND | MS_REC, NULL));
    ls("tmp/dst2/inner");
    printf("  same device as src %d\n", devof("tmp/dst") == devof("tmp/src"));
    mk("tmp/dst/new", "made through dst");
    cat("tmp/src/new");
    TRY("rename across binds", rename("tmp/dst/new", "tmp/src/new2"));
    TRY("link across binds", link("tmp/dst/new", "tmp/src/new2"));
    TRY("rename within the bind", rename("tmp/dst/new", "tmp/dst/new2"));
    TRY("rename into the submount", rename("tmp/src/s", "tmp/src/inner/s"));
    TRY("bind a file on a dir", mount("tmp/src/s", "tmp/b", NULL, MS_BIND, NULL));
    mk("tmp/f2", "");
    TRY("bind a file on a file", mount("tmp/src/s", "tmp/f2", NULL, MS_BIND, NULL));
    cat("tmp/f2");
    TRY("unlink a bound file", unlink("tmp/f2"));
    TRY("umount the file", umount("tmp/f2"));
    TRY("bind without source", mount(NULL, "tmp/b", NULL, MS_BIND, NULL));
    TRY("bind a missing source", mount("tmp/none", "tmp/b", NULL, MS_BIND, NULL));

    printf("== read-only bind\n");
    int wfd = open("tmp/dst/new2", O_WRONLY);
    TRY("remount bind ro, a file open to write", mount(NULL, "tmp/dst", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
    close(wfd);
    wfd = open("tmp/src/new2", O_WRONLY);
    int rfd = open("tmp/dst/new2", O_RDONLY);
    TRY("remount bind ro", mount(NULL, "tmp/dst", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
    TRY("write through the source", write(wfd, "w", 1));
    close(wfd);
    close(rfd);
    TRY("mkdir via ro bind", mkdir("tmp/dst/x", 0755));
    TRY("mkdir existing via ro bind", mkdir("tmp/dst/inner", 0755));
    TRY("unlink via ro bind", unlink("tmp/dst/new2"));
    TRY("rmdir missing via ro bind", rmdir("tmp/dst/none"));
    TRY("open for writing via ro bind", open("tmp/dst/new2", O_WRONLY));
    TRY("rename via ro bind", rename("tmp/dst/new2", "tmp/dst/new3"));
    TRY("symlink via ro bind", symlink("x", "tmp/dst/l"));
    TRY("mkdir via the writable source", mkdir("tmp/src/x", 0755));
    TRY("mkdir in a subdir via ro bind", mkdir("tmp/dst/inner/x", 0755));
    TRY("remount bind rw", mount(NULL, "tmp/dst", NULL, MS_REMOUNT | MS_BIND, NULL));
    TRY("mkdir via rw bind", mkdir("tmp/dst/y", 0755));

    printf("== read-only superblock\n");
    wfd = open("tmp/dst2/inner/deep", O_RDWR);
    TRY("remount ro, a file open to write", mount(NULL, "tmp/src/inner", NULL, MS_REMOUNT | MS_RDONLY, NULL));
    close(wfd);
    rfd = open("tmp/src/inner/deep", O_RDONLY);
    unlink("tmp/src/inner/deep");
    TRY("remount ro, an unlinked file open", mount(NULL, "tmp/src/inner", NULL, MS_REMOUNT | MS_RDONLY, NULL));
    close(rfd);
    TRY("remount src/inner ro", mount(NULL, "tmp/src/inner", NULL, MS_REMOUNT | MS_RDONLY, NULL));
    TRY("remount ro again", mount(NULL, "tmp/src/inner", NULL, MS_REMOUNT | MS_RDONLY, NULL));
    TRY("mkdir in it", mkdir("tmp/src/inner/z", 0755));
    TRY("mkdir via its rbind copy", mkdir("tmp/dst2/inner/z", 0755));
    TRY("remount it rw", mount(NULL, "tmp/src/inner", NULL, MS_REMOUNT, NULL));
    TRY("mkdir via its rbind copy", mkdir("tmp/dst2/inner/z", 0755));
    TRY("umount dst", umount("tmp/dst"));
    TRY("umount dst2 (has a submount)", umount("tmp/dst2"));
    TRY("umount2 dst2 MNT_DETACH", umount2("tmp/dst2", MNT_DETACH));
    ls("tmp/dst2");
}

static void moves(void) {
    printf("== MS_MOVE and propagation\n");
    mkdir("tmp/mv", 0755);
    TRY("mount on mv", mount("none", "tmp/mv", "tmpfs", 0, NULL));
    mk("tmp/mv/here", "moved along");
    mkdir("tmp/mv/sub", 0755);
    mkdir("tmp/to", 0755);
    TRY("move", mount("tmp/mv", "tmp/to", NULL, MS_MOVE, NULL));
    ls("tmp/mv");
    cat("tmp/to/here");
    TRY("move into itself", mount("tmp/to", "tmp/to/sub", NULL, MS_MOVE, NULL));
    TRY("move a non-mountpoint", mount("tmp/to/sub", "tmp/mv", NULL, MS_MOVE, NULL));
    TRY("move without source", mount(NULL, "tmp/mv", NULL, MS_MOVE, NULL));
    TRY("move a dir onto a file", mount("tmp/to", "tmp/file", NULL, MS_MOVE, NULL));
    TRY("make private", mount(NULL, "tmp/to", NULL, MS_PRIVATE, NULL));
    TRY("make rprivate", mount(NULL, "tmp/to", NULL, MS_PRIVATE | MS_REC, NULL));
    TRY("private|shared", mount(NULL, "tmp/to", NULL, MS_PRIVATE | MS_SHARED, NULL));
    TRY("private|nosuid", mount(NULL, "tmp/to", NULL, MS_PRIVATE | MS_NOSUID, NULL));
    TRY("private on a non-mountpoint", mount(NULL, "tmp/to/sub", NULL, MS_PRIVATE, NULL));
    TRY("make unbindable", mount(NULL, "tmp/to", NULL, MS_UNBINDABLE, NULL));
    TRY("bind an unbindable", mount("tmp/to", "tmp/mv", NULL, MS_BIND, NULL));
    TRY("make slave", mount(NULL, "tmp/to", NULL, MS_SLAVE, NULL));
    TRY("bind it now", mount("tmp/to/sub", "tmp/mv", NULL, MS_BIND, NULL));
    TRY("umount mv", umount("tmp/mv"));
    TRY("umount to", umount("tmp/to"));
}

static void unprivileged(void) {
    printf("== without CAP_SYS_ADMIN\n");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (setresuid(1000, 1000, 1000)) _exit(2);
        TRY("mount", mount("none", "tmp/b", "tmpfs", 0, NULL));
        TRY("mount on a missing path", mount("none", "tmp/none", "tmpfs", 0, NULL));
        TRY("mount with MS_NOUSER", mount("none", "tmp/b", "tmpfs", 1UL << 31, NULL));
        TRY("umount", umount("tmp/src/inner"));
        TRY("umount2 bad flags", umount2("tmp/src/inner", 0x10));
        TRY("pivot_root", syscall(SYS_pivot_root, "tmp/src/inner", "tmp/src/inner"));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    TRY("umount src/inner", umount("tmp/src/inner"));
}

int main(void) {
    umask(022);
    new_mounts();
    stacking();
    binds();
    moves();
    unprivileged();
    return 0;
}
