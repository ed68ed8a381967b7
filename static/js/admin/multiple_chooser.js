/*
 * kb.admin_widgets.MultipleSnippetChooser: several snippets (the article's contact persons)
 * chosen through Wagtail's snippet chooser modal, as Wagtail's MultipleChooserPanel opens it
 * (search, several at once, a "create" tab where the user may add snippets).
 *
 * Registered on Wagtail's Stimulus application; the chosen objects are hidden inputs with the
 * field's name, so the form posts what a multiple select would.
 */
(() => {
  const { Controller } = window.StimulusModule;

  class MultipleChooserController extends Controller {
    static targets = ['list', 'empty', 'template', 'choose'];

    static values = { name: String, definition: String };

    connect() {
      const definition = document.getElementById(this.definitionValue);
      this.chooser = window.telepath.unpack(JSON.parse(definition.textContent));
    }

    choose() {
      this.chooser.openModal(
        (results) => {
          [].concat(results).forEach((result) => this.add(result));
          this.changed();
        },
        { multiple: true },
      );
    }

    add(result) {
      const id = String(result.id);
      const inputs = this.listTarget.querySelectorAll(`input[name="${this.nameValue}"]`);
      if ([...inputs].some((input) => input.value === id)) return;
      const item = this.templateTarget.content.firstElementChild.cloneNode(true);
      const label = result.string || result.title || id;
      const input = item.querySelector('input');
      input.name = this.nameValue;
      input.value = id;
      item.querySelector('[data-label]').textContent = label;
      item.querySelector('button').setAttribute('aria-label', `„${label}“ entfernen`);
      this.listTarget.append(item);
    }

    remove(event) {
      event.currentTarget.closest('li').remove();
      this.changed();
      // The removed button had the focus: keep it in the field.
      this.chooseTarget.focus();
    }

    changed() {
      this.emptyTarget.hidden = this.listTarget.children.length > 0;
      // Wagtail's unsaved-changes check and autosave listen for changes on the form.
      this.element.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }

  window.wagtail.app.register('kb-multiple-chooser', MultipleChooserController);
})();
