// The reelroute dashboard: plain DOM, no build step. Everything shown comes from the public API with the
// signed-in API key; user-supplied text is only ever set as textContent.
'use strict';

const KEY_STORAGE = 'reelroute.apiKey';
const RUN_TOKENS = 'reelroute.runTokens';
const REFRESH_MS = 1000;

const $ = (id) => document.getElementById(id);
let apiKey = sessionStorage.getItem(KEY_STORAGE);
let refreshTimer = null;
const jobCards = new Map();
const projectCards = new Map();

const KIND_LABELS = {
  'image-audio': 'Image + audio',
  'video-job': 'Prompt video',
  'generate': 'Generated video',
  'style-transfer': 'Style transfer',
};

/** The message of any surface's error body: {"error": "…"}, {"detail": …} or {"error": {"message": …}}. */
function errorText(status, body) {
  if (body && typeof body === 'object') {
    if (typeof body.error === 'string') return body.error;
    if (body.error && body.error.message) return body.error.message;
    if (typeof body.detail === 'string') return body.detail;
    if (body.detail && body.detail.message) return body.detail.message;
    if (body.message) return body.message;
  }
  return 'Request failed (HTTP ' + status + ')';
}

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (!headers.Authorization) headers['X-API-Key'] = apiKey;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (notJson) { body = null; }
  if (!response.ok) {
    const error = new Error(errorText(response.status, body));
    error.status = response.status;
    throw error;
  }
  return body;
}

function postForm(path, fields) {
  const form = new FormData();
  for (const [name, value] of fields) {
    if (value !== null && value !== undefined && value !== '') form.append(name, value);
  }
  return api(path, { method: 'POST', body: form });
}

// ---- signing in ----

async function signIn(key) {
  apiKey = key;
  try {
    await api('/api/dashboard/jobs');
  } catch (e) {
    apiKey = null;
    sessionStorage.removeItem(KEY_STORAGE);
    $('sign-in-error').textContent = e.status === 401 ? 'That API key was not accepted.' : e.message;
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
  $('sign-in-error').textContent = '';
  $('sign-in-panel').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  $('account-state').textContent = 'Signed in with key …' + key.slice(-4);
  refresh();
}

function signOut() {
  sessionStorage.removeItem(KEY_STORAGE);
  apiKey = null;
  clearTimeout(refreshTimer);
  jobCards.clear();
  projectCards.clear();
  $('jobs').replaceChildren();
  $('projects').replaceChildren();
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in-panel').hidden = false;
  $('account-state').textContent = '';
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn($('api-key').value.trim());
});
$('sign-out').addEventListener('click', signOut);

// ---- choosing files: drag and drop or the file inputs ----

const chosen = { image: null, audio: null, projectImages: [], music: null };

function showChosen() {
  const list = $('image-audio-chosen');
  list.replaceChildren();
  for (const [label, file] of [['Image', chosen.image], ['Audio', chosen.audio]]) {
    if (file) {
      const item = document.createElement('li');
      item.textContent = label + ': ' + file.name + ' (' + Math.round(file.size / 1024) + ' KB)';
      list.append(item);
    }
  }
  const projectList = $('project-chosen');
  projectList.replaceChildren();
  chosen.projectImages.forEach((file, i) => {
    const item = document.createElement('li');
    item.textContent = 'Clip ' + (i + 1) + ': ' + file.name;
    projectList.append(item);
  });
  if (chosen.music) {
    const item = document.createElement('li');
    item.textContent = 'Music: ' + chosen.music.name;
    projectList.append(item);
  }
}

function dropZone(zone, onFiles) {
  zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    onFiles(Array.from(event.dataTransfer.files));
  });
}

dropZone($('image-audio-drop'), (files) => {
  for (const file of files) {
    if (file.type.startsWith('image/')) chosen.image = file;
    else if (file.type.startsWith('audio/')) chosen.audio = file;
  }
  showChosen();
});
dropZone($('project-drop'), (files) => {
  for (const file of files) {
    if (file.type.startsWith('image/')) chosen.projectImages.push(file);
    else if (file.type.startsWith('audio/')) chosen.music = file;
  }
  showChosen();
});
$('image-file').addEventListener('change', (e) => { chosen.image = e.target.files[0] || null; showChosen(); });
$('audio-file').addEventListener('change', (e) => { chosen.audio = e.target.files[0] || null; showChosen(); });
$('project-images').addEventListener('change', (e) => { chosen.projectImages = Array.from(e.target.files); showChosen(); });
$('project-music').addEventListener('change', (e) => { chosen.music = e.target.files[0] || null; showChosen(); });

for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => {
    document.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t === tab));
    document.querySelectorAll('.tab-body').forEach((body) => { body.hidden = body.dataset.tab !== tab.dataset.tab; });
  });
}

// ---- submitting ----

document.addEventListener('visibilitychange', () => { if (!document.hidden && apiKey) refresh(); });

/** Runs a submission with its button disabled; its message line says what happened. */
async function submitting(buttonId, messageId, action) {
  const message = $(messageId);
  $(buttonId).disabled = true;
  try {
    message.textContent = await action();
    message.className = 'message';
    refresh();
  } catch (e) {
    message.textContent = e.message;
    message.className = 'message error';
  } finally {
    $(buttonId).disabled = false;
  }
}

$('image-audio-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const message = $('image-audio-message');
  if (!chosen.image || !chosen.audio) {
    message.textContent = 'Choose an image and an audio track first.';
    message.className = 'message error';
    return;
  }
  await submitting('submit-job', 'image-audio-message', async () => {
    const created = await postForm('/api/jobs', [['image', chosen.image], ['audio', chosen.audio],
      ['webhookUrl', $('webhook-url').value.trim()]]);
    return 'Job ' + created.jobId + ' created.';
  });
});

$('project-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const message = $('project-message');
  if (chosen.projectImages.length === 0) {
    message.textContent = 'Choose at least one image.';
    message.className = 'message error';
    return;
  }
  await submitting('submit-project', 'project-message', async () => {
    const project = await postForm('/api/video-projects', [['name', $('project-name').value],
      ['transitionsEnabled', String($('project-transitions').checked)], ['music', chosen.music]]);
    for (const image of chosen.projectImages) {
      await postForm('/api/video-projects/' + project.id + '/clips', [['image', image],
        ['motionPrompt', $('project-motion').value], ['durationSeconds', $('project-seconds').value]]);
    }
    const run = await api('/api/video-projects/generate', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ videoProjectId: project.id }),
    });
    const tokens = JSON.parse(sessionStorage.getItem(RUN_TOKENS) || '{}');
    tokens[run.runId] = run.publicAccessToken;
    sessionStorage.setItem(RUN_TOKENS, JSON.stringify(tokens));
    return 'Project ' + project.id + ' is generating.';
  });
});

// ---- the lists, updated in place so a playing video is never reset ----

function setText(card, selector, text) {
  const element = card.querySelector(selector);
  if (element.textContent !== (text || '')) element.textContent = text || '';
}

function showVideo(card, url, poster) {
  const result = card.querySelector('.result');
  let video = result.querySelector('video');
  if (!url) {
    result.replaceChildren();
    return;
  }
  if (!video) {
    video = document.createElement('video');
    video.className = 'result-video';
    video.controls = true;
    video.preload = 'metadata';
    video.playsInline = true;
    video.src = url; // links are signed and expire: the first one is kept while the page plays it
    if (poster) video.poster = poster;
    const download = document.createElement('a');
    download.href = url;
    download.textContent = 'Download MP4';
    download.setAttribute('download', '');
    result.replaceChildren(video, download);
  }
}

/** The card's log lines, redrawn only when there are new ones (an open list keeps its scroll position). */
function showLogs(card, logs) {
  const lines = card.querySelector('.log-lines');
  if (lines.childElementCount === logs.length) return;
  lines.replaceChildren(...logs.map((line) => {
    const item = document.createElement('li');
    item.className = line.level;
    item.textContent = line.timestamp.substring(11, 19) + ' ' + line.level + ' ' + line.message;
    return item;
  }));
}

function jobCard(job) {
  let card = jobCards.get(job.id);
  if (!card) {
    card = $('job-template').content.firstElementChild.cloneNode(true);
    card.dataset.jobId = job.id;
    card.querySelector('.cancel').addEventListener('click', () => cancelJob(card));
    card.querySelector('.webhooks').addEventListener('toggle', (e) => { if (e.target.open) loadDeliveries(card); });
    card.querySelector('.redeliver').addEventListener('click', () => redeliver(card));
    jobCards.set(job.id, card);
  }
  card.job = job;
  setText(card, '.kind', KIND_LABELS[job.kind] || job.kind);
  setText(card, '.id', job.id);
  const badge = card.querySelector('.status');
  badge.className = 'status badge ' + job.status;
  setText(card, '.status', job.status);
  card.querySelector('progress').value = job.progress;
  setText(card, '.percent', job.progress + ' %');
  setText(card, '.stage', job.stage);
  setText(card, '.status-message', job.statusMessage);
  setText(card, '.error-message', job.errorMessage);
  const costs = [];
  if (job.tokensConsumed) costs.push(job.tokensConsumed + ' tokens');
  if (job.costUsd !== null && job.costUsd !== undefined) costs.push('$' + Number(job.costUsd).toFixed(4));
  setText(card, '.cost', costs.length ? 'Cost: ' + costs.join(', ') : '');
  showVideo(card, job.videoUrl, job.thumbnailUrl);
  card.querySelector('.cancel').hidden = !job.cancelPath;
  card.querySelector('.webhooks').hidden = !job.webhookUrl;
  showLogs(card, job.logs);
  return card;
}

async function cancelJob(card) {
  const button = card.querySelector('.cancel');
  button.disabled = true;
  try {
    await api(card.job.cancelPath, { method: 'POST' });
  } catch (e) {
    setText(card, '.error-message', e.message);
  } finally {
    button.disabled = false;
    refresh();
  }
}

async function loadDeliveries(card) {
  try {
    const answer = await api('/api/jobs/' + card.job.id + '/webhook-deliveries');
    card.querySelector('.deliveries').replaceChildren(...answer.deliveries.map((d) => {
      const item = document.createElement('li');
      item.textContent = d.attemptedAt + ' attempt ' + d.attempt + ': ' + d.outcome
        + (d.statusCode ? ' (HTTP ' + d.statusCode + ')' : '') + (d.latencyMs !== null ? ', ' + d.latencyMs + ' ms' : '')
        + (d.error ? ' ' + d.error : '');
      return item;
    }));
    setText(card, '.webhook-message', answer.deliveries.length ? '' : 'No delivery yet.');
  } catch (e) {
    setText(card, '.webhook-message', e.message);
  }
}

async function redeliver(card) {
  try {
    const answer = await api('/api/jobs/' + card.job.id + '/webhook-deliveries/redeliver', { method: 'POST' });
    setText(card, '.webhook-message', answer.message);
    setTimeout(() => loadDeliveries(card), 1500);
  } catch (e) {
    setText(card, '.webhook-message', e.message);
  }
}

function projectCard(project) {
  let card = projectCards.get(project.id);
  if (!card) {
    card = $('job-template').content.firstElementChild.cloneNode(true);
    card.classList.replace('job', 'project');
    card.dataset.projectId = project.id;
    card.querySelector('.actions').remove();
    card.querySelector('.webhooks').remove();
    projectCards.set(project.id, card);
  }
  setText(card, '.kind', project.name);
  setText(card, '.id', project.id);
  card.querySelector('.status').className = 'status badge ' + project.status;
  setText(card, '.status', project.status);
  setText(card, '.error-message', project.errorMessage);
  setText(card, '.cost', project.totalCost ? 'Cost: $' + Number(project.totalCost).toFixed(2) : '');
  setText(card, '.status-message', project.clips.length + ' clips');
  showVideo(card, project.finalVideoUrl, project.thumbnailUrl);
  return card;
}

async function runProgress(card, project) {
  const token = JSON.parse(sessionStorage.getItem(RUN_TOKENS) || '{}')[project.currentRunId];
  const done = project.status === 'completed';
  card.querySelector('progress').value = done ? 100 : 0;
  setText(card, '.percent', done ? '100 %' : '');
  if (!token || !project.currentRunId) return;
  try {
    const run = await api('/api/runs/' + project.currentRunId, { headers: { Authorization: 'Bearer ' + token } });
    card.querySelector('progress').value = run.progress;
    setText(card, '.percent', run.progress + ' %');
    setText(card, '.stage', run.stage);
    showLogs(card, run.logs);
  } catch (ignored) {
    // the run's token has expired: the project's own status still shows
  }
}

/** Puts the cards in order, moving only what moved: a media element taken out of the page stops playing. */
function syncChildren(list, cards) {
  cards.forEach((card, i) => {
    if (list.children[i] !== card) list.insertBefore(card, list.children[i] || null);
  });
  while (list.children.length > cards.length) list.lastElementChild.remove();
}

async function refresh() {
  clearTimeout(refreshTimer);
  if (!apiKey) return;
  try {
    const [jobs, projects] = await Promise.all([api('/api/dashboard/jobs'), api('/api/video-projects')]);
    syncChildren($('jobs'), jobs.jobs.map(jobCard));
    const listed = new Set(jobs.jobs.map((job) => job.id));
    for (const id of jobCards.keys()) if (!listed.has(id)) jobCards.delete(id);
    $('jobs-empty').hidden = jobs.jobs.length > 0;
    const projectList = projects.videoProjects;
    syncChildren($('projects'), projectList.map(projectCard));
    $('projects-empty').hidden = projectList.length > 0;
    await Promise.all(projectList.map((p) => runProgress(projectCards.get(p.id), p)));
    $('jobs-updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    if (e.status === 401) {
      signOut();
      $('sign-in-error').textContent = 'The API key is no longer accepted.';
      return;
    }
    $('jobs-updated').textContent = 'update failed: ' + e.message;
  }
  // every second while something runs; a quiet or hidden page checks less often
  const busy = Array.from(jobCards.values()).some((card) => ['PENDING', 'PROCESSING'].includes(card.job.status))
    || Array.from(projectCards.values()).some((card) => !['draft', 'completed', 'failed'].includes(
      card.querySelector('.status').textContent));
  refreshTimer = setTimeout(refresh, busy && !document.hidden ? REFRESH_MS : REFRESH_MS * 5);
}

if (apiKey) signIn(apiKey);
