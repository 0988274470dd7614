/* The working directory while the names above it change: getcwd after its ancestors are
   renamed and moved, after the directory itself is removed (ENOENT, and nothing can be
   created in it), and ".." from a removed directory. getcwd's answer is printed relative to
   where the program started (the root under kava, the test directory under qemu). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-34s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static char start[PATH_MAX];

static void cwd(void) {
    char buf[PATH_MAX];
    errno = 0;
    if (!getcwd(buf, sizeof buf)) {
        printf("  getcwd: %s\n", strerrorname_np(errno));
        return;
    }
    size_t n = strlen(start);
    if (strcmp(start, "/") == 0) n = 0;
    if (strncmp(buf, start, n) != 0) { printf("  getcwd outside the start: %s\n", buf); return; }
    printf("  getcwd: %s\n", buf + n);
}

int main(void) {
    if (!getcwd(start, sizeof start)) return 1;
    umask(022);
    mkdir("tmp/c1", 0755);
    mkdir("tmp/c1/c2", 0755);
    mkdir("tmp/c1/c2/c3", 0755);
    TRY("chdir", chdir("tmp/c1/c2/c3"));
    cwd();
    TRY("rename grandparent", rename("../../../c1", "../../../r1"));
    cwd();
    TRY("rename ../..", rename("../..", "../../x"));
    TRY("move parent up", rename("../../c2", "../../../moved"));
    cwd();
    TRY("rename cwd itself", rename("../c3", "../here"));
    cwd();
    TRY("rename .", rename(".", "../x"));
    TRY("rmdir .", rmdir("."));
    TRY("rmdir ..", rmdir(".."));
    TRY("mkdir in cwd", mkdir("kid", 0755));
    TRY("rmdir non-empty cwd", rmdir("../here"));
    TRY("rmdir kid", rmdir("kid"));
    TRY("rmdir the cwd", rmdir("../here"));
    cwd();
    struct stat s;
    TRY("stat .", stat(".", &s));
    printf("  nlink of the removed cwd %ld\n", (long)s.st_nlink);
    TRY("mkdir in removed cwd", mkdir("kid", 0755));
    TRY("mknod in removed cwd", mknod("fifo", S_IFIFO | 0644, 0));
    TRY("symlink in removed cwd", symlink("x", "lnk"));
    TRY("open O_CREAT in removed cwd", open("file", O_CREAT | O_WRONLY, 0644));
    TRY("rename into removed cwd", rename("../../r1", "r1"));
    TRY("rmdir . of removed cwd", rmdir("."));
    TRY("chdir ..", chdir(".."));
    cwd();
    TRY("rmdir the new cwd", rmdir("../moved"));
    cwd();
    TRY("chdir .. again", chdir(".."));
    cwd();
    TRY("rmdir r1", rmdir("r1"));
    return 0;
}
