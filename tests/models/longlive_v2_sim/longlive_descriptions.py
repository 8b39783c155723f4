"""Descriptions of the LongliveV2 surface, copied verbatim from ``schemas/longlive-v2.json``.

Data, not code: the simulator feeds these strings to ``@event``/``InputField``/
``MessageField`` and message docstrings so its rendered schema matches the real one.
"""

MODEL_DESCRIPTION = 'LongLive 2: a continuous, autoregressive, multi-shot text-to-video model directed like a storyboard. Open a scene with a shot, change it with soft shots (memory preserved) or hard scene cuts (memory wiped), optionally scheduled against the session-wide chunk clock. Output is a single main_video track.'

COMMANDS = {
    'pause': 'Pause generation after the current chunk finishes. Valid only while generating (after `start`, not already paused). Emits `generation_paused` and `state` on success, or `command_error` if the session is not generating or is already paused.',
    'reset': 'Abort the current run, clear the active prompt and any scheduled cuts or shots, and return to the waiting state. Always succeeds — there is no `command_error` path. Emits `generation_reset` and `state`. After `reset` the session is back to its just-connected state: the client must call `set_shot` again before `start` will succeed.',
    'start': 'Begin generating video on `main_video` from the opening shot. Requires an opening shot set via `set_shot`, and zeros the chunk counters for the new run. Emits `state` on success, or `command_error` if no shot has been set, or if a previous run has finished (call `reset` first).',
    'resume': 'Resume generation from a previous pause. Valid only when the session is paused. Emits `generation_resumed` and `state` on success, or `command_error` if the session is not paused.',
    'set_seed': 'Set seed',
    'set_shot': "Set the shot prompt. Before `start`, this seeds the opening shot the video begins from. After `start`, it triggers a soft shot change: at the next chunk boundary the video transitions to the new prompt while keeping the model's memory of what came before, so motion, identity, and the world carry across the cut. Use it to change framing, action, or subject within the same continuous scene. For a clean break to an unrelated scene — memory wiped, a brief transition pause — use `scene_cut` instead. Emits `shot_set` and `state` on success, or `command_error` if the prompt is empty or a previous run has finished (call `reset` first).",
    'scene_cut': "Cut to an unrelated scene mid-stream. A hard cut: the model's memory is wiped and generation restarts from the new prompt, giving a clean break with no carry-over of motion, identity, or world. The cut lands at the next chunk boundary and costs a one-time ~150-300ms transition; the per-scene chunk counter (`current_chunk`) restarts at 0 while the session-wide `session_chunk` keeps counting. Use it for a genuine change of scene — new subject, new place, new world. For a lighter change that stays in the same continuous scene (new framing, action, or subject with memory preserved) use `set_shot` instead. Emits `scene_cut` and `state` when the next chunk fires, or `command_error` if the prompt is empty or a previous run has finished (call `reset` first).",
    'schedule_shot': 'Schedule a soft `set_shot` change to fire at a specific chunk index, instead of changing immediately. Same memory-preserving transition as a mid-stream `set_shot`, but planted ahead of time so it lands frame-accurately without a network round-trip race or activation delay. Use `schedule_shot` for changes within the same continuous scene and `schedule_scene_cut` for clean breaks to a new scene. `at_session_chunk` counts total chunks since the most recent `start` and keeps counting across cuts. Note: a shot scheduled at `at_session_chunk=0` does not render as a transition — there is no earlier chunk to change from — so its prompt simply drives the first chunk, the same as if it were the opening shot (overriding any shot set via `set_shot`). Emits `shot_scheduled` and `state` on success, or `command_error` if the prompt is empty, `at_session_chunk` is negative, or a previous run has finished (call `reset` first).',
    'schedule_scene_cut': 'Schedule a hard `scene_cut` to fire at a specific chunk index, instead of cutting immediately. This removes the network round-trip race for frame-accurate cuts: the cut lands exactly when `session_chunk` reaches the target, no matter when the command arrives, and with no activation delay. `at_session_chunk` counts total chunks since the most recent `start` and keeps counting across cuts, so scheduling at 10 and 20 fires both as the session reaches those counts. Use this to script a multi-scene sequence up front. Emits `scene_cut_scheduled` and `state` on success, or `command_error` if the prompt is empty, `at_session_chunk` is negative, or a previous run has finished (call `reset` first).',
}

PARAMS = {
    ('set_seed', 'seed'): 'Random seed for noise sampling. Read once when `start` fires; later changes only take effect after `reset` followed by a new `start`.',
    ('set_shot', 'prompt'): 'What the shot should show, in natural language. Before `start` this is the opening prompt generation begins from; after `start` it drives a soft shot change at the next chunk boundary.',
    ('scene_cut', 'prompt'): 'What the new scene should show, in natural language. Queued for the next chunk boundary, where it replaces the current scene wholesale (memory wiped, a fresh start). Calling `scene_cut` again before the next chunk fires overwrites the queued prompt.',
    ('schedule_shot', 'prompt'): 'What the shot should change to when the target chunk is reached, in natural language. Held server-side until then so the change fires with no delay. Scheduling at an `at_session_chunk` already in the schedule replaces that entry; entries whose target chunk has already passed never fire.',
    ('schedule_shot', 'at_session_chunk'): 'Chunk index at which the shot change fires, counted as total chunks since the most recent `start`. Must be ≥ 0, with no upper bound — schedule beyond the run length to fire after earlier cuts. A target that has already passed never fires.',
    ('schedule_scene_cut', 'prompt'): 'What the scene should show when the target chunk is reached, in natural language. Held server-side until then so the cut fires with no delay. Scheduling at an `at_session_chunk` already in the schedule replaces that entry; entries whose target chunk has already passed never fire.',
    ('schedule_scene_cut', 'at_session_chunk'): 'Chunk index at which the cut fires, counted as total chunks since the most recent `start`. Must be ≥ 0, with no upper bound — schedule beyond the run length to fire after earlier cuts. A target that has already passed never fires.',
}

MESSAGES = {
    'state': "Emitted on connect, after every state-mutating event, and after each completed chunk. Snapshot of the session's observable state — clients drive UI from this single source of truth without reconstructing state from the event stream.",
    'shot_set': 'Emitted when `set_shot` is accepted. Before `start` it confirms the opening shot has been seeded; after `start` it confirms a soft shot change has been queued for the next chunk boundary.',
    'scene_cut': 'Emitted when a hard `scene_cut` fires (immediate or scheduled). Marks the clean break to a new scene: `at_session_chunk` is the session-wide chunk count at which the new scene took effect. The per-scene chunk counter (`current_chunk`) restarts at 0 while the session-wide `session_chunk` keeps counting.',
    'command_error': 'Emitted when a command is rejected because preconditions are not met.',
    'chunk_complete': 'Emitted once per completed chunk of `main_video`.',
    'shot_scheduled': "Emitted when `schedule_shot` is accepted. Confirms a future soft shot change has been queued — the transition itself fires later when the session reaches `at_session_chunk` and is reported by that chunk's normal `chunk_complete` and `state` messages.",
    'generation_reset': 'Emitted after `reset` clears session state.',
    'generation_paused': 'Emitted in response to `pause`, once the current chunk finishes.',
    'generation_resumed': 'Emitted in response to `resume` when leaving the paused state.',
    'generation_started': 'Emitted once when `start` succeeds and frames begin streaming.',
    'generation_complete': 'Emitted when every chunk of a run has streamed. The session returns to idle (started = false) and is locked: `start`, `set_shot`, `scene_cut`, `schedule_scene_cut`, and `schedule_shot` all reject with `command_error` until the client calls `reset`. This enforces a clean slate between runs — the prompt and any scheduled cuts or shots from the completed run cannot leak into the next.',
    'scene_cut_scheduled': 'Emitted when `schedule_scene_cut` is accepted. Confirms a future hard cut has been queued — the cut itself fires later when the session reaches `at_session_chunk` and is reported by `scene_cut`.',
}

FIELDS = {
    ('State', 'seed'): 'Current value of the seed input field.',
    ('State', 'paused'): 'True while generation is paused via `pause`.',
    ('State', 'running'): 'True while the model is actively producing frames (started and not paused).',
    ('State', 'started'): 'True once `start` has been accepted. Reset to false by `reset`.',
    ('State', 'has_prompt'): 'True once a shot prompt has been set for the session.',
    ('State', 'current_chunk'): 'Index of the last completed chunk within the current scene. Restarts at 0 after every hard `scene_cut`.',
    ('State', 'current_frame'): 'Running total of frames emitted since the last reset or connect.',
    ('State', 'session_chunk'): 'Session-wide chunk count — total chunks since the most recent `start`. Keeps counting across cuts; zeros on `start` and `reset`. This is the clock that scheduled cuts and shots fire against.',
    ('State', 'current_prompt'): 'The prompt currently driving generation, or null when none is set.',
    ('State', 'scheduled_shots'): 'Sorted chunk indices at which scheduled soft shot changes will fire, as session-wide chunk counts.',
    ('State', 'scheduled_scene_cuts'): 'Sorted chunk indices at which scheduled hard cuts will fire, as session-wide chunk counts.',
    ('ShotSet', 'prompt'): 'The shot prompt that was accepted.',
    ('SceneCut', 'prompt'): 'The prompt the scene was cut to.',
    ('SceneCut', 'at_session_chunk'): 'Session-wide chunk count at which the cut fired (total chunks since the most recent `start`).',
    ('CommandError', 'reason'): 'Human-readable explanation of why the command was rejected.',
    ('CommandError', 'command'): 'Name of the command that was rejected.',
    ('ChunkComplete', 'chunk_index'): 'Index of this chunk within the current scene. Restarts at 0 after every hard `scene_cut`; use `session_chunk` for the cumulative count since `start`.',
    ('ChunkComplete', 'active_prompt'): 'The prompt used to generate this chunk.',
    ('ChunkComplete', 'session_chunk'): 'Session-wide chunk count — total chunks since the most recent `start`. Keeps counting across cuts.',
    ('ChunkComplete', 'frames_emitted'): 'Running total of frames emitted since the last reset or connect.',
    ('ShotScheduled', 'prompt'): 'The prompt scheduled for the soft shot change.',
    ('ShotScheduled', 'at_session_chunk'): 'Session-wide chunk count at which the scheduled shot change fires (i.e. after this many total chunks since `start`).',
    ('GenerationReset', 'reason'): 'Short human-readable reason the reset was issued.',
    ('GenerationPaused', 'chunk_index'): 'Index of the last completed chunk before pausing.',
    ('GenerationResumed', 'chunk_index'): 'Index of the next chunk to be generated.',
    ('GenerationStarted', 'prompt'): 'The prompt active at the start of generation.',
    ('GenerationStarted', 'chunk_num'): 'Total number of chunks the run will produce.',
    ('GenerationStarted', 'frame_num'): 'Total number of pixel frames the run will emit.',
    ('GenerationComplete', 'total_chunks'): 'Total number of chunks produced by the run.',
    ('SceneCutScheduled', 'prompt'): 'The prompt scheduled for the scene cut.',
    ('SceneCutScheduled', 'at_session_chunk'): 'Session-wide chunk count at which the scheduled cut fires (total chunks since the most recent `start`).',
}
