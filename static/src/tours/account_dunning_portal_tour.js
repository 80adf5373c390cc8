import { registry } from "@web/core/registry";

// The customer page as its customer sees it (tests/test_dunning_portal_tour.py):
// dispute the invoice of 1,000.00, promise to pay the one of 600.00 on 2024-07-15,
// pay the one of 300.00 with the demo provider.
const row = (amount) => `tr.o_dunning_item:has(td:contains('${amount}'))`;

registry.category("web_tour.tours").add("account_dunning_portal_tour", {
    steps: () => [
        {
            content: "The page lists the open invoices",
            trigger: "#o_dunning_dues h3:contains('Your account with')",
        },
        {
            content: "Dispute the invoice of 1,000.00",
            trigger: `${row("1,000.00")} a.o_dunning_dispute_toggle`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the reason",
            trigger: "form.o_dunning_dispute_form select[name='reason']",
            run: "select quality",
        },
        {
            content: "Say what is wrong",
            trigger: "form.o_dunning_dispute_form textarea[name='description']",
            run: "edit Two boxes arrived broken",
        },
        {
            content: "Send the dispute",
            trigger: "form.o_dunning_dispute_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The dispute is recorded",
            trigger: ".o_dunning_done:contains('Your dispute is recorded')",
        },
        {
            content: "The invoice shows it",
            trigger: `${row("1,000.00")} .badge:contains('Disputed')`,
        },
        {
            content: "Open the promise form",
            trigger: "a.o_dunning_promise_toggle",
            run: "click",
        },
        {
            content: "Leave out the invoice of 300.00",
            trigger: "form.o_dunning_promise_form .form-check:contains('300.00') input[name='move_ids']:checked",
            run: "click",
        },
        {
            content: "Promise 600.00",
            trigger: "form.o_dunning_promise_form input[name='amount']",
            run: "edit 600",
        },
        {
            content: "on 2024-07-15",
            trigger: "form.o_dunning_promise_form input[name='date']",
            run() {
                // A date input takes its value whole (no typing, as a date picker).
                this.anchor.value = "2024-07-15";
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Record the promise",
            trigger: "form.o_dunning_promise_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The promise is recorded",
            trigger: ".o_dunning_done:contains('promise to pay is recorded')",
        },
        {
            content: "The promise is listed",
            trigger: ".o_dunning_promises td:contains('600.00')",
        },
        {
            content: "Pay the invoice of 300.00",
            trigger: `${row("300.00")} a.o_dunning_pay_invoice`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the demo provider",
            trigger: "#pay_with input[name='o_payment_radio'][data-payment-method-code='demo']",
            run: "click",
        },
        {
            content: "Pay",
            trigger: "#pay_with button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the invoice, paid",
            trigger: ".o_portal_sidebar .badge:contains('Paid')",
            timeout: 30000,
        },
    ],
});
