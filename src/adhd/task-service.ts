import { CairnError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { type DraftStep, planBreakdown } from './breakdown.js';
import { buildCalibrationModel, MAX_CALIBRATION_SAMPLES, pickCalibration } from './calibration.js';
import type { AdhdContext } from './context.js';
import { closeIdleFocus } from './focus-idle.js';
import { BREAKDOWN_SYSTEM_PROMPT, buildBreakdownPrompt, parseModelSteps } from './model-breakdown.js';
import { splitTaskText } from './split-task.js';
import { applyPatches, nextOpenStep, rollUp, statusPatch } from './task-tree.js';
import type { AdhdService, BreakdownResult, CalibrationModel, Sampler, StepInput, Task, TaskPatch } from './types.js';

/** Estimates Cairn learns from: the caller's own. A model's or a default guess has other biases. */
export const CALIBRATED_SOURCES = ['client'] as const;

/** Namespaces whose calibration is kept in memory. */
const MEMO_NAMESPACES = 256;

/** Task breakdown, status updates and calibration. */
export function createTaskOps(ctx: AdhdContext): Pick<AdhdService, 'breakDownTask' | 'updateTask' | 'calibration' | 'openTasks'> {
  const { tasks: repo, rules } = ctx;
  // Fitting with a bootstrap costs ~30 ms at 200 samples; the key is the samples themselves, so a
  // hit can never be stale.
  const memo = new Map<string, { key: string; model: CalibrationModel }>();

  async function calibration(ns: string): Promise<CalibrationModel> {
    const rows = await repo.completedEstimates(ns, CALIBRATED_SOURCES, MAX_CALIBRATION_SAMPLES);
    const samples = rows.map((r) => ({
      rawMinutes: r.rawMinutes!,
      actualMinutes: r.actualMinutes!,
      energy: r.energy,
      category: r.category,
      at: r.completedAt ?? r.updatedAt,
    }));
    const key = JSON.stringify(samples);
    const hit = memo.get(ns);
    if (hit?.key === key) return hit.model;
    const model = buildCalibrationModel(samples, { defaultMultiplier: ctx.config.defaultMultiplier, minSamples: rules.minCalibrationSamples });
    if (memo.size >= MEMO_NAMESPACES) memo.delete(memo.keys().next().value!);
    memo.set(ns, { key, model });
    return model;
  }

  async function mustGet(ns: string, id: string): Promise<Task> {
    const task = await repo.getTask(ns, id);
    if (!task) throw new CairnError('NOT_FOUND', `task_id: no task ${id} in this namespace; create one with break_down_task`);
    return task;
  }

  async function proposeSteps(
    task: string,
    given: StepInput[] | undefined,
    context: { energyNow?: number; deadline?: number },
    sample: Sampler | undefined,
  ): Promise<{ steps: StepInput[]; source: BreakdownResult['source']; fallbackReason: string | null }> {
    if (given?.length) return { steps: given, source: 'client', fallbackReason: null };
    let fallbackReason: string | null = null;
    if (sample) {
      try {
        const reply = await sample(buildBreakdownPrompt(task, context), { maxTokens: 800, systemPrompt: BREAKDOWN_SYSTEM_PROMPT });
        const steps = parseModelSteps(reply);
        if (steps) return { steps, source: 'model', fallbackReason: null };
        fallbackReason = 'the model reply held no usable JSON list of steps';
      } catch (err) {
        fallbackReason = `sampling failed: ${err instanceof Error ? err.message : String(err)}`;
        ctx.logger.warn('adhd: model breakdown failed, splitting the text instead', { error: fallbackReason });
      }
    }
    return { steps: splitTaskText(task).map((title) => ({ title })), source: 'text', fallbackReason };
  }

  /**
   * When the step in focus is closed, focus moves with the work: the session ends and a new one
   * starts on the next open step (which goes to doing), or ends when nothing is left — in the same
   * batch as the status change. Null, and nothing written, when the closed task was not in focus.
   */
  async function moveFocusOn(
    ns: string,
    task: Task,
    tree: Task[],
    patches: Array<{ id: string; patch: TaskPatch }>,
    at: number,
  ): Promise<{ note: string } | null> {
    await closeIdleFocus(ctx, ns, ctx.clock.now());
    const active = await ctx.focus.activeSession(ns);
    if (!active || active.taskId !== task.id) return null;
    const end = Math.max(at, active.startedAt);
    const after = applyPatches(tree, patches);
    const next = nextOpenStep(after, task.rootId);
    if (!next) {
      await ctx.focus.endSession(ns, active.id, end, patches);
      return { note: `focus on "${task.title}" stopped: nothing is left to do here` };
    }
    const start = next.status === 'todo' ? [{ id: next.id, patch: statusPatch('doing', end) }, ...rollUp(after, next.id, 'doing', end)] : [];
    const session = { id: uuidv7(end), namespace: ns, taskId: next.id, topic: next.title, startedAt: end, endedAt: null };
    await ctx.focus.startSession(session, { id: active.id, at: end }, [...patches, ...start]);
    return { note: `focus moved to "${next.title}"` };
  }

  return {
    calibration,

    async openTasks(ns, limit) {
      const [leaves, roots] = await Promise.all([repo.openLeaves(ns, limit), repo.openRoots(ns, limit)]);
      const seen = new Set<string>();
      return [...leaves, ...roots].filter((t) => !seen.has(t.id) && seen.add(t.id)).slice(0, limit);
    },

    async breakDownTask(ns, input, options = {}) {
      const now = ctx.timeOf(input.at);
      const task = input.task.trim();
      if (!task) throw new CairnError('INVALID_INPUT', 'task: must not be blank; describe the task in a few words');
      const parent = input.parentTaskId ? await mustGet(ns, input.parentTaskId) : null;
      if (parent && (parent.status === 'done' || parent.status === 'dropped')) {
        throw new CairnError(
          'CONFLICT',
          `parent_task_id: task ${parent.id} is ${parent.status}; reopen it with update_task (status "todo") before adding steps`,
        );
      }
      const ctxInfo = {
        ...(input.energyNow !== undefined ? { energyNow: input.energyNow } : {}),
        ...(input.deadline !== undefined ? { deadline: input.deadline } : {}),
      };
      const proposed = await proposeSteps(task, input.steps, ctxInfo, options.sample);
      const model = await calibration(ns);
      const siblings = parent ? await repo.children(ns, parent.id) : [];
      const category = input.category ?? parent?.category ?? null;
      const drafts: DraftStep[] = proposed.steps.map((s) => ({
        title: s.title.trim(),
        rawMinutes: s.estimateMinutes ?? null,
        source: proposed.source === 'model' ? 'model' : 'client',
        energy: s.energy ?? null,
        needsFocus: s.needsFocus ?? false,
      }));
      const plan = planBreakdown({ steps: drafts, withStarter: siblings.length === 0, model, category, now, rules, ...ctxInfo });

      const overall = model.overall;
      const rootId = parent?.rootId ?? uuidv7(now);
      const rows: Task[] = [];
      const root: Task | null = parent
        ? null
        : {
            ...blankRow(ns, rootId, now),
            rootId,
            title: task,
            category,
            rawMinutes: plan.steps.filter((s) => !s.isStarter).reduce((sum, s) => sum + s.rawMinutes, 0),
            estimateSource: 'sum',
            realisticMinutes: plan.totalRealisticMinutes,
            multiplier: overall.multiplier,
            why: `sum of ${plural(plan.steps.length, 'step')} and ${plural(plan.breaks.length, 'break')}`,
            deadline: input.deadline ?? null,
          };
      if (root) rows.push(root);
      const base = siblings.reduce((m, s) => Math.max(m, s.position + 1), 0);
      const stepRows = plan.steps.map((s, i) => ({
        ...blankRow(ns, uuidv7(now), now),
        rootId,
        parentId: parent?.id ?? rootId,
        position: base + i,
        title: s.title,
        category,
        energy: s.energy,
        needsFocus: s.needsFocus,
        isStarter: s.isStarter,
        rawMinutes: s.rawMinutes,
        estimateSource: s.source,
        realisticMinutes: s.estimate.realisticMinutes,
        multiplier: s.estimate.multiplier,
        why: s.estimate.why,
      }));
      rows.push(...stepRows);
      await repo.insertTasks(rows);

      return {
        root: root ?? parent!,
        steps: plan.steps.map((s, i) => ({
          task: stepRows[i]!,
          estimate: s.estimate,
          calibration: s.calibration,
          tooBig: s.tooBig,
          splitHint: s.splitHint,
          fitsEnergyNow: s.fitsEnergyNow,
        })),
        suggestedOrder: plan.order.map((i) => stepRows[i]!.id),
        orderWhy: plan.orderWhy,
        breaks: plan.breaks.map((b) => ({ afterStepId: stepRows[b.afterIndex]!.id, kind: b.kind, minutes: b.minutes, why: b.why })),
        totalRealisticMinutes: plan.totalRealisticMinutes,
        deadline: plan.deadline,
        calibration: pickCalibration(model, { category }),
        source: proposed.source,
        fallbackReason: proposed.fallbackReason,
      };
    },

    async updateTask(ns, input) {
      const at = ctx.timeOf(input.at);
      if (input.status === undefined && input.actualMinutes === undefined && input.note === undefined) {
        throw new CairnError('INVALID_INPUT', 'update_task: give at least one of status, actual_minutes or note');
      }
      const task = await mustGet(ns, input.taskId);
      const changed = input.status !== undefined && input.status !== task.status;
      const patch = {
        ...(changed ? statusPatch(input.status!, at) : { updatedAt: at }),
        ...(input.actualMinutes !== undefined ? { actualMinutes: input.actualMinutes } : {}),
        ...(input.note !== undefined ? { note: { at, text: input.note } } : {}),
      };
      const tree = await repo.tree(ns, task.rootId);
      const patches = [{ id: task.id, patch }, ...(changed ? rollUp(tree, task.id, input.status!, at) : [])];
      const closes = changed && (input.status === 'done' || input.status === 'dropped');
      const moved = closes ? await moveFocusOn(ns, task, tree, patches, at) : null;
      const after = moved ? await repo.tree(ns, task.rootId) : applyPatches(tree, patches);
      if (!moved) await repo.updateTasks(ns, patches);
      const self = after.find((r) => r.id === task.id) ?? task;
      const parentCompleted = after.find((r) => r.id === task.parentId && r.status === 'done' && patches.some((p) => p.id === r.id)) ?? null;

      const counts = self.status === 'done' && self.estimateSource === 'client' && (self.actualMinutes ?? 0) > 0 && (self.rawMinutes ?? 0) > 0;
      const model = await calibration(ns);
      return {
        task: self,
        sampleRatio: counts ? Math.round((self.actualMinutes! / self.rawMinutes!) * 100) / 100 : null,
        parentCompleted,
        nextStep: nextOpenStep(after, task.rootId),
        calibration: pickCalibration(model, { energy: self.energy, category: self.category }),
        focus: moved?.note ?? null,
      };
    },
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function blankRow(ns: string, id: string, now: number): Task {
  return {
    id,
    namespace: ns,
    rootId: id,
    parentId: null,
    position: 0,
    title: '',
    category: null,
    energy: null,
    needsFocus: false,
    isStarter: false,
    rawMinutes: null,
    estimateSource: 'client',
    realisticMinutes: null,
    multiplier: null,
    why: null,
    status: 'todo',
    actualMinutes: null,
    notes: [],
    deadline: null,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    completedAt: null,
  };
}
