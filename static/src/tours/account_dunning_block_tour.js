import { registry } from "@web/core/registry";

const BLOCK_REASON = "Unpaid since March";

function quotationWithBanner() {
    return [
        {
            content: "The quotation is open",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Quotation')",
        },
        {
            content: "The red banner explains why the customer is blocked",
            trigger: `.o_form_view .o_dunning_block_banner:contains('is blocked for unpaid invoices'):contains('${BLOCK_REASON}')`,
        },
        {
            content: "Confirm the quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("account_dunning_block_refused_tour", {
    steps: () => [
        ...quotationWithBanner(),
        {
            content: "The confirmation is refused with the reason of the block",
            trigger: `.modal .o_error_dialog .modal-body:contains('is blocked for unpaid invoices'):contains('${BLOCK_REASON}')`,
        },
        {
            content: "Close the error dialog",
            trigger: ".modal .o_error_dialog .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The error dialog is closed",
            trigger: "body:not(:has(.modal .o_error_dialog))",
        },
        {
            content: "The order is still a quotation",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Quotation')",
        },
        {
            content: "The banner is still shown",
            trigger: `.o_form_view .o_dunning_block_banner:contains('${BLOCK_REASON}')`,
        },
    ],
});

registry.category("web_tour.tours").add("account_dunning_block_override_tour", {
    steps: () => [
        ...quotationWithBanner(),
        {
            content: "The order is confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
        {
            content: "No error dialog and the block banner is gone",
            trigger: "body:not(:has(.o_error_dialog)):not(:has(.o_dunning_block_banner))",
        },
        {
            content: "The form says the block was overridden",
            trigger: ".o_form_view .alert-warning:contains('Confirmed although the customer was blocked')",
        },
    ],
});
