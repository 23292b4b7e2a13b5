// ltpgap task pane: the token field, and the sheet-protection callbacks the Python side
// queues (runMacro actions "ltpgapUnprotect" and "ltpgapProtect") around its writes, since
// ltpgap's workbooks protect their sheets (no password) and Excel refuses writes to locked
// cells of a protected sheet.

const wasProtected = new Map(); // sheet name -> protection options before unprotecting

async function ltpgapUnprotect(context, sheetNames) {
  const sheets = sheetNames.map((name) =>
    context.workbook.worksheets.getItemOrNullObject(name),
  );
  sheets.forEach((sheet) => sheet.load("name"));
  await context.sync();
  const live = sheets.filter((sheet) => !sheet.isNullObject);
  live.forEach((sheet) => sheet.protection.load("protected, options"));
  await context.sync();
  for (const sheet of live) {
    if (sheet.protection.protected) {
      wasProtected.set(sheet.name, sheet.protection.options);
      sheet.protection.unprotect();
    }
  }
  await context.sync();
}

async function ltpgapProtect(context, sheetNames, cells) {
  // cells: "L:Sheet!A1:B2" locks a range, "U:Sheet!A1:B2" unlocks it (applied in order).
  for (const entry of cells || []) {
    const locked = entry.startsWith("L:");
    const ref = entry.slice(2);
    const cut = ref.lastIndexOf("!");
    const sheet = context.workbook.worksheets.getItem(ref.slice(0, cut).replace(/^'|'$/g, ""));
    sheet.getRange(ref.slice(cut + 1)).format.protection.locked = locked;
  }
  for (const name of sheetNames) {
    if (wasProtected.has(name)) {
      context.workbook.worksheets.getItem(name).protection.protect(wasProtected.get(name));
      wasProtected.delete(name);
    }
  }
  await context.sync();
}

xlwings.registerCallback(ltpgapUnprotect);
xlwings.registerCallback(ltpgapProtect);

const form = document.getElementById("ltpgap-token-form");
if (form) {
  const input = document.getElementById("ltpgap-token");
  const status = document.getElementById("ltpgap-token-status");
  if (sessionStorage.getItem("ltpgap-token")) status.textContent = "Token set.";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem("ltpgap-token", input.value.trim());
    input.value = "";
    status.textContent = "Token set.";
  });
}
