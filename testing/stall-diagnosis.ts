/**
 * What a stuck test worker was doing, read before it is killed (Linux: /proc). A JS loop that never yields shows as a
 * running thread burning CPU; a blocked native call as a sleeping thread with the kernel function it waits in; an
 * event loop that still turns answers a Node diagnostic report (the workers start with --report-on-signal) with its
 * JS stack and open handles. The report is trimmed before it is kept: the full one holds the environment.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface ProcessState {
  pid: number;
  ppid: number;
  /** The kernel's one-letter state: R running, S sleeping, D uninterruptible, Z zombie. */
  state: string;
  cpuSeconds: number;
  command: string;
}

export interface ThreadState {
  name: string;
  state: string;
  /** The kernel function a sleeping thread waits in ("0" when running). */
  waitingIn: string;
}

export interface WorkerDiagnosis {
  worker: ProcessState;
  threads: ThreadState[];
  /** Processes the worker started (a CLI under test, Chromium), which are killed with it. */
  children: ProcessState[];
  /** From the worker's Node report, when its event loop answered the signal in time. */
  report: { javascriptStack: unknown; activeHandles: unknown[] } | null;
}

const CLOCK_TICKS_PER_SECOND = 100;
const REPORT_WAIT_MS = 5_000;

const read = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** /proc/<pid>/stat: the command name in parentheses may hold spaces, so fields are counted after the last ')'. */
function processState(pid: number): ProcessState | null {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cmdline = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ').trim();
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND,
    command: cmdline.slice(0, 300),
  };
}

function allProcesses(): ProcessState[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => processState(Number(entry)))
    .filter((state): state is ProcessState => state !== null);
}

/** Vitest's forks pool runs each test file in a child process started from its workers/forks.js. */
export function forkWorkersOf(parentPid: number): ProcessState[] {
  return allProcesses().filter((p) => p.ppid === parentPid && p.command.includes('workers/forks'));
}

function descendantsOf(pid: number, processes: ProcessState[]): ProcessState[] {
  const children = processes.filter((p) => p.ppid === pid);
  return children.flatMap((child) => [child, ...descendantsOf(child.pid, processes)]);
}

function threadsOf(pid: number): ThreadState[] {
  const dir = `/proc/${pid}/task`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((tid) => {
    const stat = read(`${dir}/${tid}/stat`) ?? '';
    return {
      name: (read(`${dir}/${tid}/comm`) ?? '?').trim(),
      state: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '?',
      waitingIn: (read(`${dir}/${tid}/wchan`) ?? '?').trim(),
    };
  });
}

/** Asks the worker for a Node report and keeps its JS stack and open handles; null when none came in time. */
async function nodeReport(pid: number, reportDir: string): Promise<WorkerDiagnosis['report']> {
  const matches = () => readdirSync(reportDir).filter((name) => name.startsWith('report.') && name.includes(`.${pid}.`));
  const before = new Set(matches());
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    return null;
  }
  for (let waited = 0; waited < REPORT_WAIT_MS; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fresh = matches().find((name) => !before.has(name));
    if (!fresh) continue;
    const file = path.join(reportDir, fresh);
    // Written in one go, but possibly not yet whole: read until it parses.
    try {
      const report = JSON.parse(readFileSync(file, 'utf8')) as { javascriptStack?: unknown; libuv?: unknown[] };
      rmSync(file, { force: true });
      const handles = (report.libuv ?? []).filter((handle) => (handle as { is_active?: boolean }).is_active);
      return { javascriptStack: report.javascriptStack ?? null, activeHandles: handles };
    } catch {
      continue;
    }
  }
  return null;
}

export async function diagnoseWorker(worker: ProcessState, reportDir: string): Promise<WorkerDiagnosis> {
  return {
    worker,
    threads: threadsOf(worker.pid),
    children: descendantsOf(worker.pid, allProcesses()),
    report: await nodeReport(worker.pid, reportDir),
  };
}

/** Kills the worker and what it started; vitest then fails the worker's file and goes on with the next. */
export function killWorker(diagnosis: WorkerDiagnosis): void {
  for (const { pid } of [...diagnosis.children, diagnosis.worker]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
