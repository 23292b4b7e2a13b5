// Runs ltpgap's task-pane JavaScript (as the server serves it) against a stand-in of the parts
// of Office.js and xlwings.js it uses, and prints what happened as JSON.
//
// Input (stdin, JSON):
//   files:   {"main.js": "...", "auth.js": "...", "ribbon.js": "..."}  the served sources
//   sheets:  [{"name": "...", "protected": true, "options": {...}}]   in workbook order
//   actions: the "actions" list a real ltpgap script returned (xlwings Server reply)
//   config:  {"authProviders": [...], "appPath": ""}                   the page's config
//   token:   what the task pane's token field stored (sessionStorage), or null
//   meta:    the server's /xlwings/custom-scripts-meta.json
//   press:   ribbon button ids to press after the actions ("ltpgap-recompute", ...)
//
// Office.js queues changes and applies them at context.sync(); the stand-in does the same, so
// a callback that forgets to sync leaves its changes unapplied (and reported). Actions are
// replayed as xlwings.js does: runMacro calls the registered callback by name with the
// action's arguments; any other action writes to the sheet at sheet_position, which must not
// be protected at that moment (Excel refuses writes to locked cells of a protected sheet).
"use strict";

const fs = require("fs");
const vm = require("vm");

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const log = [];
const problems = [];
const state = new Map(
  input.sheets.map((s) => [s.name, { protected: s.protected, options: s.options || {} }]),
);
const order = input.sheets.map((s) => s.name);
let pending = [];

function queue(change) {
  pending.push(change);
}

const context = {
  async sync() {
    const now = pending;
    pending = [];
    now.forEach((change) => change());
  },
  workbook: {
    worksheets: {
      getItem(name) {
        if (!state.has(name)) throw new Error(`ItemNotFound: worksheet '${name}'`);
        return worksheet(name);
      },
      getItemOrNullObject(name) {
        return worksheet(name);
      },
    },
  },
};

function worksheet(name) {
  const exists = state.has(name);
  let loaded = false;
  const protection = {
    load() {
      queue(() => {
        loaded = true;
      });
    },
    get protected() {
      if (!loaded) throw new Error(`PropertyNotLoaded: ${name}.protection.protected`);
      return state.get(name).protected;
    },
    get options() {
      if (!loaded) throw new Error(`PropertyNotLoaded: ${name}.protection.options`);
      return state.get(name).options;
    },
    unprotect() {
      queue(() => {
        state.get(name).protected = false;
        log.push(["unprotect", name]);
      });
    },
    protect(options) {
      queue(() => {
        const sheet = state.get(name);
        if (sheet.protected) problems.push(`protect() on already protected '${name}'`);
        sheet.protected = true;
        sheet.options = options || {};
        log.push(["protect", name, options || {}]);
      });
    },
  };
  return {
    get name() {
      return name;
    },
    isNullObject: !exists,
    load() {},
    protection,
    getRange(address) {
      return {
        format: {
          protection: {
            set locked(value) {
              queue(() => log.push(["locked", name, address, value]));
            },
          },
        },
      };
    },
  };
}

const callbacks = {};
const ribbon = {};
const runs = [];
const sessionStore = new Map(input.token === null ? [] : [["ltpgap-token", input.token]]);
const sandbox = {
  console,
  config: input.config,
  window: { location: { origin: "https://ltpgap.example.nhs.uk" } },
  document: { getElementById: () => null },
  sessionStorage: {
    getItem: (k) => (sessionStore.has(k) ? sessionStore.get(k) : null),
    setItem: (k, v) => sessionStore.set(k, String(v)),
  },
  fetch: async (url) => {
    if (!url.endsWith("/xlwings/custom-scripts-meta.json")) throw new Error(`fetch ${url}`);
    return { json: async () => input.meta };
  },
  xlwings: {
    registerCallback: (fn) => {
      callbacks[fn.name] = fn;
    },
    runPython: async (options) => {
      runs.push(options);
    },
    getAccessToken: async () => "Bearer entra-sso-token",
  },
  Office: {
    actions: {
      associate: (id, handler) => {
        ribbon[id] = handler;
      },
    },
  },
};
sandbox.globalThis = sandbox;
vm.createContext(sandbox);
for (const name of ["auth.js", "main.js", "ribbon.js"]) {
  vm.runInContext(input.files[name], sandbox, { filename: name });
}

async function main() {
  for (const action of input.actions) {
    if (action.func === "runMacro") {
      const callback = callbacks[String(action.args[0])];
      if (!callback) {
        problems.push(`runMacro of unregistered callback '${action.args[0]}'`);
        continue;
      }
      await callback(context, ...action.args.slice(1));
    } else {
      const sheet = order[action.sheet_position];
      if (sheet !== undefined && state.get(sheet).protected) {
        problems.push(`${action.func} on protected sheet '${sheet}'`);
      }
      log.push(["write", sheet === undefined ? null : sheet, action.func]);
    }
    if (pending.length) {
      problems.push(`changes queued but not synced after ${action.func}`);
      await context.sync();
    }
  }
  for (const id of input.press || []) {
    let completed = false;
    await ribbon[id]({ completed: () => (completed = true) });
    if (!completed) problems.push(`ribbon button ${id} never called event.completed()`);
  }
  const auth = await sandbox.getAuth();
  const final = Object.fromEntries([...state].map(([name, s]) => [name, s]));
  process.stdout.write(
    JSON.stringify({
      log,
      problems,
      final,
      callbacks: Object.keys(callbacks).sort(),
      ribbon: Object.keys(ribbon).sort(),
      runs,
      auth,
    }),
  );
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ error: String(error && error.stack ? error.stack : error) }));
  process.exitCode = 1;
});
