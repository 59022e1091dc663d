// The seccomp filter of the hostings' jail (pure): a classic BPF program, as bubblewrap's --seccomp
// reads it (struct sock_filter[]: u16 code, u8 jt, u8 jf, u32 k, in the machine's byte order).
//
// It refuses (EPERM) the ioctls that create btrfs subvolumes and snapshots: btrfs lets any user make
// a subvolume in a folder it may write, and a new subvolume is outside the qgroup that limits the
// hosting's home (its disk quota). It also refuses TIOCSTI/TIOCLINUX (typing into the terminal of a
// process outside the jail), and every system call of another ABI (32-bit int 0x80, x32), whose
// numbers the checks below would not match. Everything else is allowed: the rest of the jail is
// namespaces and mounts (render-bwrap.ts).

/** _IOW(0x94, nr, 4096): struct btrfs_ioctl_vol_args and _v2 are both 4096 bytes */
const btrfsIow = (nr: number) => ((1 << 30) | (4096 << 16) | (0x94 << 8) | nr) >>> 0;

/** The ioctl requests the jail refuses, by name (the kernel compares only the low 32 bits of the request). */
export const DENIED_IOCTLS: Record<string, number> = {
  BTRFS_IOC_SNAP_CREATE: btrfsIow(1),
  BTRFS_IOC_SUBVOL_CREATE: btrfsIow(14),
  BTRFS_IOC_SNAP_CREATE_V2: btrfsIow(23),
  BTRFS_IOC_SUBVOL_CREATE_V2: btrfsIow(24),
  TIOCSTI: 0x5412,
  TIOCLINUX: 0x541c,
};

/** The architectures the filter knows: their audit arch and the number of ioctl. */
const ARCHES: Record<string, { audit: number; ioctl: number; x32?: boolean }> = {
  x64: { audit: 0xc000003e, ioctl: 16, x32: true },
  arm64: { audit: 0xc00000b7, ioctl: 29 },
};

const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;
const ALLOW = 0x7fff0000;
const EPERM = 0x00050000 | 1;
/** offsets in struct seccomp_data: nr, arch, then args[] of 8 bytes (the low half first on little-endian machines) */
const NR = 0;
const ARCH = 4;
const ARG1_LOW = 16 + 8;

interface Insn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** The instructions for `arch` (process.arch), or null when Abri has no filter for it. */
export function seccompProgram(arch: string): Insn[] | null {
  const a = ARCHES[arch];
  if (!a) return null;
  const denied = Object.values(DENIED_IOCTLS);
  const prog: Insn[] = [];
  const at = (code: number, k: number, jt = 0, jf = 0) => prog.push({ code, jt, jf, k });
  // [0] another ABI: refused; [1..] the native numbers
  at(LD_W_ABS, ARCH);
  const archCheck = prog.length;
  at(JEQ_K, a.audit); // jf patched: to EPERM
  at(LD_W_ABS, NR);
  const x32Check = a.x32 ? prog.length : -1;
  if (a.x32) at(JGE_K, 0x40000000); // jt patched: x32 numbers to EPERM
  const ioctlCheck = prog.length;
  at(JEQ_K, a.ioctl); // jf patched: to ALLOW
  at(LD_W_ABS, ARG1_LOW);
  const requestChecks = denied.map((k) => (at(JEQ_K, k), prog.length - 1));
  const allow = prog.length;
  at(RET_K, ALLOW);
  const deny = prog.length;
  at(RET_K, EPERM);
  const jump = (from: number, to: number) => to - from - 1;
  prog[archCheck]!.jf = jump(archCheck, deny);
  if (x32Check >= 0) prog[x32Check]!.jt = jump(x32Check, deny);
  prog[ioctlCheck]!.jf = jump(ioctlCheck, allow);
  for (const i of requestChecks) prog[i]!.jt = jump(i, deny);
  // the last request check falls through to ALLOW (jf 0): the next instruction
  return prog;
}

/** The program as bubblewrap reads it from its --seccomp descriptor, or null (no filter for this machine). */
export function seccompFilter(arch: string = process.arch): Buffer | null {
  const prog = seccompProgram(arch);
  if (!prog) return null;
  const buf = Buffer.alloc(prog.length * 8);
  const le = new Uint16Array(new Uint8Array([1, 0]).buffer)[0] === 1;
  prog.forEach((p, i) => {
    if (le) {
      buf.writeUInt16LE(p.code, i * 8);
      buf.writeUInt32LE(p.k, i * 8 + 4);
    } else {
      buf.writeUInt16BE(p.code, i * 8);
      buf.writeUInt32BE(p.k, i * 8 + 4);
    }
    buf.writeUInt8(p.jt, i * 8 + 2);
    buf.writeUInt8(p.jf, i * 8 + 3);
  });
  return buf;
}
