/**
 * The start form on the page, built from the field descriptors the server
 * sends (`GET /api/config`, generated from the option table): inputs grouped
 * as basic settings, load shape, and checks and waiting; fields of other
 * shapes hidden; values checked by the server with the CLI's rules as they
 * change, the message shown next to the field it is about (or above the
 * Start button when it names none).
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * import { StartFormView } from "./start_form_view.ts";
 * const view = new StartFormView(document.getElementById("start-fields")!, config.fields);
 * view.fill({ users: "5", runTime: "10m" });
 * ```
 * @module
 */
import type { FormField, FormValues } from "../wire.ts";
import { ApiError, postJson } from "./api.ts";
import { byId, el } from "./dom.ts";

const GROUPS: readonly { id: FormField["group"]; title: string }[] = [
  { id: "basic", title: "Users and run time" },
  { id: "shape", title: "Load shape" },
  { id: "checks", title: "Thresholds and waiting" },
];

type Input = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/**
 * True when `field` is shown for the chosen `shape`.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import type { FormField } from "../wire.ts";
 * import { isShownFor } from "./start_form_view.ts";
 * const stages: FormField = {
 *   name: "stages", flag: "--stages", label: "Stages", type: "text", group: "shape", shapes: ["stages"],
 * };
 * if (isShownFor(stages, "window") || !isShownFor(stages, "stages")) throw new Error("by shape");
 * ```
 */
export function isShownFor(field: FormField, shape: string): boolean {
  return field.shapes === undefined || field.shapes.includes(shape);
}

function inputFor(field: FormField): Input {
  let input: Input;
  if (field.type === "select") {
    const select = el("select");
    for (const choice of field.choices ?? []) select.append(el("option", choice));
    input = select;
  } else if (field.type === "lines") {
    const area = el("textarea");
    area.rows = 3;
    input = area;
  } else {
    const box = el("input");
    // Numbers are text inputs: a browser's number input turns "abc" into "" and the server
    // could only say the field is empty, not what is wrong with what was typed.
    box.type = field.type === "checkbox" ? "checkbox" : "text";
    if (field.type === "number") box.inputMode = "decimal";
    if (field.choices && field.type === "text") box.setAttribute("list", `l-${field.name}`);
    input = box;
  }
  input.id = `f-${field.name}`;
  input.name = field.name;
  if (field.placeholder && !(input instanceof HTMLSelectElement)) {
    input.placeholder = field.placeholder;
  }
  input.setAttribute("aria-describedby", `e-${field.name}`);
  return input;
}

/** The start form's fields, values and messages. */
export class StartFormView {
  #fields: readonly FormField[];
  #inputs = new Map<string, Input>();
  #boxes = new Map<string, HTMLElement>();
  #checking = 0;

  /** Build `fields` into `container` (the form's field area). */
  constructor(container: HTMLElement, fields: readonly FormField[]) {
    this.#fields = fields;
    for (const group of GROUPS) {
      const set = el("fieldset", null, `group group-${group.id}`);
      set.append(el("legend", group.title));
      for (const field of fields.filter((f) => f.group === group.id)) {
        const box = el("div", null, field.type === "checkbox" ? "field check" : "field");
        box.dataset.field = field.name;
        const input = inputFor(field);
        const label = el("label", field.label);
        label.htmlFor = input.id;
        if (field.type === "checkbox") box.append(input, label);
        else box.append(label, input);
        if (field.choices && field.type === "text") {
          const list = el("datalist");
          list.id = `l-${field.name}`;
          for (const choice of field.choices) {
            const option = el("option");
            option.value = choice;
            list.append(option);
          }
          box.append(list);
        }
        if (field.help) box.append(el("small", field.help, "help"));
        const error = el("small", null, "field-error");
        error.id = `e-${field.name}`;
        error.setAttribute("role", "alert");
        error.hidden = true;
        box.append(error);
        set.append(box);
        this.#inputs.set(field.name, input);
        this.#boxes.set(field.name, box);
        input.addEventListener("change", () => {
          if (field.name === "shape") this.#showShapeFields();
          void this.check();
        });
      }
      container.append(set);
    }
    this.#showShapeFields();
  }

  /** Put `values` into the fields (missing ones are left as they are). */
  fill(values: FormValues): void {
    for (const [name, input] of this.#inputs) {
      const value = values[name];
      if (value === undefined) continue;
      if (input instanceof HTMLInputElement && input.type === "checkbox") {
        input.checked = value === true || value === "true";
      } else input.value = String(value);
    }
    this.#showShapeFields();
    this.clearErrors();
  }

  /** The fields' values, by field name. */
  values(): FormValues {
    const values: FormValues = {};
    for (const [name, input] of this.#inputs) {
      values[name] = input instanceof HTMLInputElement && input.type === "checkbox"
        ? input.checked
        : input.value;
    }
    return values;
  }

  /** Remove every message. */
  clearErrors(): void {
    for (const name of this.#inputs.keys()) this.#setError(name, "");
    const general = byId("form-error");
    general.hidden = true;
    general.textContent = "";
  }

  /** Show `message` next to `field`, or above the Start button when the field is unknown. */
  showError(message: string, field: string | undefined): void {
    this.clearErrors();
    if (field !== undefined && this.#inputs.has(field)) {
      this.#setError(field, message);
      // A message about a field of another shape: show that field too.
      this.#boxes.get(field)!.hidden = false;
      return;
    }
    const general = byId("form-error");
    general.textContent = message;
    general.hidden = false;
  }

  /**
   * Ask the server whether the values would start (the CLI's rules); shows the
   * answer. Resolves true when they would. A newer check makes an older one's answer moot.
   */
  async check(): Promise<boolean> {
    const ticket = ++this.#checking;
    try {
      await postJson("/api/validate", this.values());
      if (ticket === this.#checking) this.clearErrors();
      return true;
    } catch (error) {
      if (ticket === this.#checking) {
        const e = error instanceof ApiError ? error : new ApiError(String(error), 0);
        this.showError(e.message, e.field);
      }
      return false;
    }
  }

  /** Focus the first field with a message. */
  focusError(): void {
    for (const input of this.#inputs.values()) {
      if (input.getAttribute("aria-invalid") === "true") {
        input.focus();
        return;
      }
    }
  }

  #setError(name: string, message: string): void {
    const input = this.#inputs.get(name);
    const error = document.getElementById(`e-${name}`);
    if (!input || !error) return;
    error.textContent = message;
    error.hidden = message === "";
    if (message === "") input.removeAttribute("aria-invalid");
    else input.setAttribute("aria-invalid", "true");
  }

  #showShapeFields(): void {
    const shape = this.#inputs.get("shape")?.value ?? "window";
    for (const field of this.#fields) {
      const box = this.#boxes.get(field.name);
      if (box) box.hidden = !isShownFor(field, shape);
    }
  }
}
