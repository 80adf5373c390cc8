import { registry } from "@web/core/registry";

const CUSTOMER = "Amicable Tour Customer";
const DISPUTED = "300.00";
const REJECTION = "The goods were delivered as ordered";
// Ten days ahead, in the format of the user's language (en_US).
const PROMISED = luxon.DateTime.now().plus({days: 10}).toFormat("MM/dd/yyyy");

registry.category("web_tour.tours").add("account_dunning_amicable_tour", {
    steps: () => [
        // The invoice: the customer disputes part of it.
        {
            content: "The overdue invoice is open, not disputed",
            trigger: `.o_form_view .o_field_widget[name='partner_id']:contains('${CUSTOMER}')`,
        },
        {
            content: "Open a dispute",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_dunning_open_dispute']",
            run: "click",
        },
        {
            content: "The dispute form is in a dialog, on the invoice",
            trigger: ".modal .o_form_view .o_field_widget[name='move_id']:contains('INV/')",
        },
        {
            content: "The reason",
            trigger: ".modal .o_field_widget[name='reason'] select",
            run: 'select "quality"',
        },
        {
            content: "The disputed amount, by default the whole amount due",
            trigger: ".modal .o_field_widget[name='amount'] input",
            run: `edit ${DISPUTED}`,
        },
        {
            content: "What the customer says",
            trigger: ".modal .o_field_widget[name='description'] textarea",
            run: "edit Two boxes arrived broken",
        },
        {
            content: "Open the dispute from the dialog's footer",
            trigger: ".modal-footer button.btn-primary:contains('Open the Dispute')",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The invoice shows the Disputed badge with the disputed amount",
            trigger: `.o_form_view .o_dunning_disputed_badge:contains('Disputed'):contains('${DISPUTED}')`,
        },
        {
            content: "No second dispute can be opened",
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name='action_dunning_open_dispute']))",
        },
        // The dispute: rejected with a note.
        {
            content: "Open the disputes of the invoice",
            trigger: "button.oe_stat_button[name='action_dunning_view_disputes']",
            run: "click",
        },
        {
            content: "Open the dispute",
            trigger: ".o_list_view .o_data_row:contains('Quality') td[name='reason']",
            run: "click",
        },
        {
            content: "Reject it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_open_reject_wizard']",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name='note'] textarea",
            run: `edit ${REJECTION}`,
        },
        {
            content: "Confirm the rejection",
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The dispute is rejected",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Rejected')",
        },
        {
            content: "Open the resolution",
            trigger: ".o_form_view .o_notebook a.nav-link[name='resolution']",
            run: "click",
        },
        {
            content: "The resolution note is shown",
            trigger: `.o_form_view .o_field_widget[name='resolution_note'] textarea:value('${REJECTION}')`,
        },
        // The customer: a promise to pay its overdue invoices.
        {
            content: "Open the customer",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] a",
            run: "click",
        },
        {
            content: "Open the Dunning tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name='dunning']",
            run: "click",
        },
        {
            content: "The open dispute count is back to zero",
            trigger: ".o_form_view .o_field_widget[name='dunning_dispute_open_count']:contains('0')",
        },
        {
            content: "Record a promise",
            trigger: ".o_form_view button[name='action_dunning_record_promise']",
            run: "click",
        },
        {
            content: "The customer's overdue invoice is listed",
            trigger: ".modal .o_field_widget[name='move_ids'] .o_data_row:contains('INV/')",
        },
        {
            content: "The promised date",
            trigger: ".modal .o_field_widget[name='date'] input",
            run: `edit ${PROMISED}`,
        },
        {
            content: "Close the date picker",
            trigger: ".modal .o_field_widget[name='date'] input",
            run: "click",
        },
        {
            content: "Record the promise from the dialog's footer",
            trigger: ".modal-footer button.btn-primary:contains('Record the Promise')",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The customer has an open promise",
            trigger: ".o_form_view .o_field_widget[name='dunning_promise_open_count']:contains('1')",
        },
    ],
});
