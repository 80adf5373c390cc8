import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("account_dunning_run_tour", {
    steps: () => [
        {
            content: "Start a new dunning run",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Compute the proposals",
            trigger: ".o_form_view button[name='action_compute']",
            run: "click",
        },
        {
            content: "The overdue invoice is proposed",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains('Tour Customer')",
        },
        {
            content: "Execute the run",
            trigger: ".o_form_view button[name='action_execute']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The run is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            content: "Open the trace of the run",
            trigger: ".o_notebook .nav-link:contains('Actions')",
            run: "click",
        },
        {
            content: "The trace shows the reminder sent",
            trigger: ".o_field_widget[name='action_ids'] .o_data_row:contains('Tour Customer')",
        },
    ],
});
