package org.springframework.samples.querylens;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class OwnerController {

    private final ClinicOwners owners;

    OwnerController(ClinicOwners owners) {
        this.owners = owners;
    }

    /** Lists the owners; their pets are read by the view, lazily, one query per owner. */
    @GetMapping("/owners")
    String processFindForm(Model model) {
        model.addAttribute("owners", owners.findAll());
        return "owners/ownersList";
    }
}
