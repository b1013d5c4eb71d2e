/*
 * Progressive enhancement for the dictionary's web forms (no framework).
 *
 * Questions whose `show_when` the server could translate carry it as JSON in data-show-when
 * (see ncmd/submissions/conditions.py). This script shows a question when its condition holds and
 * hides it otherwise; a hidden question's inputs are disabled, so they are not sent, as the
 * validator expects of a question that does not apply. The server still checks every condition:
 * without this script every question is shown, with a hint saying when it applies.
 *
 * It also keeps "Not known" / "Not applicable" apart from a typed answer: ticking one clears the
 * box and the other, and typing clears them.
 */
(function () {
  "use strict";

  var SPECIAL = "special:";

  function questionOf(form, name) {
    return form.querySelector('[data-question="' + name + '"]');
  }

  function special(kind) {
    return { special: kind };
  }

  function isSpecial(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isValue(value) {
    return value !== null && value !== undefined && !isSpecial(value) &&
      !(Array.isArray(value) && value.length === 0);
  }

  // The typed answer a question holds now, as the validator would read it.
  function answer(form, name) {
    var question = questionOf(form, name);
    if (!question || question.hidden) {
      return null;
    }
    var type = question.getAttribute("data-type");
    var inputs = question.querySelectorAll('[name="' + name + '"]');
    var specials = question.querySelectorAll('[name="' + name + '__special"]:checked');
    if (specials.length) {
      return special(specials[0].value);
    }
    if (type === "multiple_choice") {
      var codes = [];
      for (var i = 0; i < inputs.length; i++) {
        if (inputs[i].checked) {
          if (inputs[i].value.indexOf(SPECIAL) === 0) {
            return special(inputs[i].value.slice(SPECIAL.length));
          }
          codes.push(inputs[i].value);
        }
      }
      return codes;
    }
    var text = "";
    for (var j = 0; j < inputs.length; j++) {
      var input = inputs[j];
      if ((input.type === "radio" && input.checked) || input.type !== "radio") {
        text = input.value.trim();
        if (input.type === "radio") {
          break;
        }
      }
    }
    if (text === "") {
      return null;
    }
    if (text.indexOf(SPECIAL) === 0) {
      return special(text.slice(SPECIAL.length));
    }
    if (type === "boolean") {
      var lower = text.toLowerCase();
      return ["yes", "true", "y", "1"].indexOf(lower) >= 0 ? true :
        ["no", "false", "n", "0"].indexOf(lower) >= 0 ? false : text;
    }
    if (type === "integer" || type === "decimal") {
      var number = Number(text.replace(/,/g, ""));
      return isNaN(number) ? text : number;
    }
    return text;
  }

  function operand(form, spec) {
    return "field" in spec ? answer(form, spec.field) : spec.value;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function compare(op, left, right) {
    if (!isValue(left) || !isValue(right)) {
      return false;
    }
    if (op === "in" || op === "not in") {
      if (!Array.isArray(right)) {
        return false;
      }
      var found = Array.isArray(left) ?
        left.every(function (item) { return right.indexOf(item) >= 0; }) :
        right.indexOf(left) >= 0;
      return op === "in" ? found : !found;
    }
    if (typeof left !== typeof right && !(Array.isArray(left) && Array.isArray(right))) {
      return op === "!=";
    }
    switch (op) {
      case "==": return same(left, right);
      case "!=": return !same(left, right);
      case "<": return left < right;
      case "<=": return left <= right;
      case ">": return left > right;
      case ">=": return left >= right;
    }
    return false;
  }

  function holds(form, condition) {
    if ("const" in condition) {
      return condition["const"];
    }
    if ("all" in condition) {
      return condition.all.every(function (c) { return holds(form, c); });
    }
    if ("any" in condition) {
      return condition.any.some(function (c) { return holds(form, c); });
    }
    if ("not" in condition) {
      return !holds(form, condition.not);
    }
    if ("is" in condition) {
      var value = answer(form, condition.field);
      var result;
      if (condition.is === "answered") {
        result = value !== null && !(Array.isArray(value) && value.length === 0);
      } else if (condition.is === "blank") {
        result = value === null || (Array.isArray(value) && value.length === 0);
      } else {
        result = isSpecial(value) && value.special === condition.is;
      }
      return condition.negate ? !result : result;
    }
    return compare(condition.op, operand(form, condition.left), operand(form, condition.right));
  }

  function update(form) {
    // In page order, so that a question hidden earlier counts as blank for those after it.
    var questions = form.querySelectorAll("[data-show-when]");
    for (var i = 0; i < questions.length; i++) {
      var question = questions[i];
      var show = holds(form, JSON.parse(question.getAttribute("data-show-when")));
      question.hidden = !show;
      var inputs = question.querySelectorAll("input, select, textarea");
      for (var j = 0; j < inputs.length; j++) {
        inputs[j].disabled = !show;
      }
    }
  }

  function keepSpecialsApart(form, event) {
    var target = event.target;
    var question = target.closest("[data-question]");
    if (!question) {
      return;
    }
    var name = question.getAttribute("data-question");
    if (target.name === name + "__special" && target.checked) {
      var others = question.querySelectorAll('[name="' + name + '__special"]');
      for (var i = 0; i < others.length; i++) {
        if (others[i] !== target) {
          others[i].checked = false;
        }
      }
      var box = question.querySelector('[name="' + name + '"]');
      if (box) {
        box.value = "";
      }
    } else if (target.name === name && event.type === "input") {
      var ticked = question.querySelectorAll('[name="' + name + '__special"]:checked');
      for (var k = 0; k < ticked.length; k++) {
        ticked[k].checked = false;
      }
    }
  }

  function init() {
    var forms = document.querySelectorAll("form.ncmd-dictionary-form");
    for (var i = 0; i < forms.length; i++) {
      (function (form) {
        form.addEventListener("change", function (event) {
          keepSpecialsApart(form, event);
          update(form);
        });
        form.addEventListener("input", function (event) {
          keepSpecialsApart(form, event);
          update(form);
        });
        update(form);
      })(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
