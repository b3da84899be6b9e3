// The shape of a localisation task set (sets/*.json), written by buildTasks.ts, read by the bench.

/** One fix commit: the question a user would ask, and the files the fix changed. */
export interface Task {
  /** The fix commit. */
  commit: string;
  /** Its parent: the repository the question is asked about. */
  parent: string;
  /** The commit's subject as written. */
  subject: string;
  question: string;
  /** Source files the fix changed that existed before it (repository-relative). */
  files: string[];
}

export interface TaskSet {
  name: string;
  /** Where to clone the repository from. */
  url: string;
  language: string;
  /** The commit the history was read from (tasks are its ancestors). */
  head: string;
  /** The newest qualifying fix commits before `head`, over which the tasks are spread evenly. */
  pool: number;
  tasks: Task[];
}
