/* pivot_root: its errors (EPERM, ENOENT, ENOTDIR, EINVAL for a new root that is no mount
   point or a put_old outside it, EBUSY for the current root's mount), the classic form with
   put_old under the new root, then the form container runtimes use since Linux 5.x:
   chdir(new_root); pivot_root(".", "."); umount2(".", MNT_DETACH) - the old root is stacked
   on the new one and then detached. A process forked before the pivot, whose root was the
   old root, finds itself in the new one (chroot_fs_refs).
   kava-only because qemu would pivot the host: pivot_root.expected was made by running this
   program under qemu-riscv64-static as root inside `unshare --mount --propagation private`
   on Linux 6.18, from a directory with an empty tmp/, and checked against fs/namespace.c.
   Nothing printed depends on what the old root holds. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

static long pivot(const char *n, const char *o) {
    return syscall(SYS_pivot_root, n, o);
}

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

static void cwd(void) {
    char buf[PATH_MAX];
    if (getcwd(buf, sizeof buf)) printf("  getcwd: %s\n", buf);
    else printf("  getcwd: %s\n", strerrorname_np(errno));
}

static void mk(const char *p) {
    int fd = open(p, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) printf("  create %s: %s\n", p, strerrorname_np(errno));
    else close(fd);
}

int main(void) {
    umask(022);
    mkdir("tmp/nr", 0755);
    mkdir("tmp/plain", 0755);
    mk("tmp/afile");

    printf("== errors\n");
    TRY("new root missing", pivot("tmp/none", "tmp/nr"));
    TRY("put_old missing", pivot("tmp/nr", "tmp/none"));
    TRY("new root a file", pivot("tmp/afile", "tmp/nr"));
    TRY("put_old a file", pivot("tmp/nr", "tmp/afile"));
    TRY("mount tmpfs on plain", mount("other", "tmp/plain", "tmpfs", 0, NULL));
    mkdir("tmp/plain/sub", 0755);
    TRY("new root not a mountpoint", pivot("tmp/plain/sub", "tmp/plain/sub"));
    TRY("mount tmpfs on nr", mount("newroot", "tmp/nr", "tmpfs", 0, "mode=0755"));
    mkdir("tmp/nr/old", 0755);
    mkdir("tmp/nr/n2", 0755);
    mk("tmp/nr/hello");
    TRY("put_old outside the new root", pivot("tmp/nr", "tmp/plain/sub"));
    TRY("put_old on the root's mount", pivot("tmp/nr", "/"));
    TRY("new root removed", (mkdir("tmp/nr/gone", 0755), chdir("tmp/nr/gone"), rmdir("../gone"),
                             pivot(".", "..")));
    chdir("../../..");
    TRY("new root is the root's mount", pivot("/", "tmp/nr"));
    TRY("empty new root", pivot("", "tmp/nr"));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (setresuid(1000, 1000, 1000)) _exit(2);
        TRY("without CAP_SYS_ADMIN", pivot("tmp/nr", "tmp/nr/old"));
        TRY("without it, missing paths", pivot("tmp/none", "tmp/none"));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);

    printf("== pivot_root(new, new/old)\n");
    TRY("chdir into the new root", chdir("tmp/nr"));
    int pipefd[2];
    pipe(pipefd);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        // Waits for the pivot, then looks at its root, which was the old root.
        char c;
        close(pipefd[1]);
        read(pipefd[0], &c, 1);
        printf("-- the other process, after the pivot\n");
        ls("/");
        cwd();
        fflush(stdout);
        _exit(0);
    }
    close(pipefd[0]);
    TRY("pivot_root(\".\", \"old\")", pivot(".", "old"));
    cwd();
    ls("/");
    TRY("stat /old/.", access("/old/.", F_OK));
    TRY("pivot again onto the same", pivot(".", "old"));
    write(pipefd[1], "x", 1);
    close(pipefd[1]);
    waitpid(pid, &status, 0);
    TRY("umount2 /old MNT_DETACH", umount2("/old", MNT_DETACH));
    ls("/old");
    TRY("umount / (the root's own mount)", umount("/"));
    TRY("mkdir after umount /", mkdir("/ro", 0755));

    printf("== pivot_root(\".\", \".\")\n");
    TRY("remount / rw", mount(NULL, "/", NULL, MS_REMOUNT, NULL));
    TRY("mount tmpfs on /n2", mount("second", "/n2", "tmpfs", 0, NULL));
    mk("/n2/inside-n2");
    TRY("chdir /n2", chdir("/n2"));
    TRY("pivot_root(\".\", \".\")", pivot(".", "."));
    cwd();
    ls(".");
    ls("/");
    TRY("umount2(\".\", MNT_DETACH)", umount2(".", MNT_DETACH));
    ls(".");
    ls("/");
    cwd();
    TRY("chdir /..", chdir("/.."));
    cwd();
    TRY("umount2(\".\", MNT_DETACH) again", umount2(".", MNT_DETACH));
    ls("/");
    cwd();
    return 0;
}
